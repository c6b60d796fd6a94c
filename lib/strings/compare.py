"""Strings of the Compare page (格式对比), its charts and the shared SQNR verdicts."""

STRINGS: dict[str, dict[str, str]] = {
    # verdicts (lib.compare.verdict, used by both pages)
    "cmp.verdict.exact": {
        "en": "Exact: every value is stored without any error (SQNR is infinite).",
        "zh": "完全精确：每个值都无误差地存储（SQNR 为无穷大）。",
    },
    "cmp.verdict.near_lossless": {
        "en": "Near lossless: SQNR {sqnr} dB, the error is about {pct}% of the signal (RMS).",
        "zh": "几乎无损：SQNR {sqnr} dB，误差约为信号的 {pct}%（均方根）。",
    },
    "cmp.verdict.good": {
        "en": "Good: SQNR {sqnr} dB, the error is about {pct}% of the signal (RMS) — usually fine for weights.",
        "zh": "良好：SQNR {sqnr} dB，误差约为信号的 {pct}%（均方根）——对权重通常足够。",
    },
    "cmp.verdict.noticeable": {
        "en": "Noticeable: SQNR {sqnr} dB, the error is about {pct}% of the signal (RMS); "
        "expect some accuracy loss unless the model is tuned for it.",
        "zh": "明显：SQNR {sqnr} dB，误差约为信号的 {pct}%（均方根）；除非模型为此调优，否则预计会损失一些精度。",
    },
    "cmp.verdict.severe": {
        "en": "Severe: SQNR {sqnr} dB, the error is about {pct}% of the signal (RMS); "
        "try more bits, smaller blocks or another scale method.",
        "zh": "严重：SQNR {sqnr} dB，误差约为信号的 {pct}%（均方根）；请尝试更多比特、更小的块或其他缩放方法。",
    },
    "cmp.verdict.unknown": {
        "en": "No verdict: the SQNR could not be computed for this tensor.",
        "zh": "无法评价：无法为此张量计算 SQNR。",
    },
    # charts
    "cmp.chart.sqnr_title": {"en": "Signal-to-quantization-noise ratio (higher is better)",
                             "zh": "信号与量化噪声比（越高越好）"},
    "cmp.chart.bits_title": {"en": "Storage per value, scales included (lower is smaller)",
                             "zh": "每个值的存储位数，含缩放因子（越低越小）"},
    "cmp.chart.pareto_title": {"en": "Bits per value vs SQNR: the Pareto front",
                               "zh": "每值比特数与 SQNR：帕累托前沿"},
    "cmp.chart.sqnr": {"en": "SQNR (dB)", "zh": "SQNR（分贝）"},
    "cmp.chart.bits": {"en": "bits per value", "zh": "每值比特数"},
    "cmp.chart.choice": {"en": "format and method", "zh": "格式与方法"},
    "cmp.chart.choices": {"en": "choices", "zh": "各方案"},
    "cmp.chart.front": {"en": "Pareto front", "zh": "帕累托前沿"},
    "cmp.chart.ref_line": {"en": "ideal uniform quantizer: 6.02 dB per bit + 1.76 dB",
                           "zh": "理想均匀量化器：每比特 6.02 dB + 1.76 dB"},
    "cmp.chart.hover_sqnr": {"en": "%{y}<br>SQNR %{x:.2f} dB<br>%{customdata:.3g} bits per value",
                             "zh": "%{y}<br>SQNR %{x:.2f} dB<br>每值 %{customdata:.3g} 比特"},
    "cmp.chart.hover_bits": {"en": "%{y}<br>%{x:.3g} bits per value", "zh": "%{y}<br>每值 %{x:.3g} 比特"},
    "cmp.chart.hover_pareto": {"en": "%{text}<br>%{x:.3g} bits per value<br>SQNR %{y:.2f} dB",
                               "zh": "%{text}<br>每值 %{x:.3g} 比特<br>SQNR %{y:.2f} dB"},
}
