"""Strings of the Compare page (格式对比), its charts and the shared SQNR verdicts."""

STRINGS: dict[str, dict[str, str]] = {
    "cmp.choices_placeholder": {"en": "Choose formats and methods", "zh": "选择格式与方法"},
    # verdicts (lib.compare.verdict, used by both pages)
    "cmp.lbl.ch": {"en": "ch", "zh": "逐通道"},
    "cmp.lbl.none": {"en": "none", "zh": "无缩放"},
    "cmp.lbl.group": {"en": "g{n}", "zh": "逐组 {n}"},
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
        "zh": "误差明显：SQNR {sqnr} dB，误差约为信号的 {pct}%（均方根）；除非模型为此调优，否则预计会损失一些精度。",
    },
    "cmp.verdict.severe": {
        "en": "Severe: SQNR {sqnr} dB, the error is about {pct}% of the signal (RMS); "
        "try more bits, smaller blocks or another scale method.",
        "zh": "误差严重：SQNR {sqnr} dB，误差约为信号的 {pct}%（均方根）；请尝试更多比特、更小的块或其他缩放方法。",
    },
    "cmp.verdict.infinite": {
        "en": "Severe: the error is infinite (SQNR −∞): values that fit nowhere on the grid were stored as "
        "±∞ or NaN. Choose overflow “saturate”, or a scale method that brings the values into range.",
        "zh": "误差严重：误差为无穷大（SQNR 为 −∞）：超出网格范围的值被存成了 ±∞ 或 NaN。"
              "请选择溢出方式“饱和”，或选择能把数值缩放到范围内的缩放方法。",
    },
    "cmp.verdict.unknown": {
        "en": "No verdict: the SQNR could not be computed for this tensor.",
        "zh": "无法评价：无法为此张量计算 SQNR。",
    },
    # charts
    "cmp.chart.sqnr_title": {"en": "Signal-to-noise ratio", "zh": "量化信噪比（SQNR）"},
    "cmp.chart.sqnr_sub": {"en": "SQNR; higher is better", "zh": "SQNR，越高越好"},
    "cmp.chart.bits_title": {"en": "Storage per value", "zh": "每值比特数"},
    "cmp.chart.bits_sub": {"en": "scales included; lower is cheaper", "zh": "含缩放因子，越低越省"},
    "cmp.chart.pareto_title": {"en": "Bits per value vs SQNR: the Pareto front",
                               "zh": "每值比特数与 SQNR：帕累托前沿"},
    "cmp.chart.sqnr": {"en": "SQNR (dB)", "zh": "SQNR（dB）"},
    "cmp.chart.bits": {"en": "bits per value", "zh": "每值比特数"},
    "cmp.chart.choice": {"en": "format and method", "zh": "格式与方法"},
    "cmp.chart.choices": {"en": "choices", "zh": "各方案"},
    "cmp.chart.front": {"en": "Pareto front", "zh": "帕累托前沿"},
    "cmp.chart.ref_line": {"en": "6.02 dB per bit + 1.76 dB (full-scale sine)",
                           "zh": "每比特 6.02 dB + 1.76 dB（满量程正弦波）"},
    "cmp.chart.ref_hover": {
        "en": "ideal uniform quantizer on a full-scale sine wave:<br>SQNR = 6.02 · bits + 1.76 dB = %{y:.1f} dB "
        "at %{x:.3g} bits<br>bell-shaped data such as weights<br>score lower at the same bits",
        "zh": "理想均匀量化器对满量程正弦波：<br>SQNR = 6.02 · 比特数 + 1.76 dB，%{x:.3g} 比特时为 %{y:.1f} dB<br>权重等钟形分布的数据在相同比特数下 SQNR 更低",
    },
    "cmp.chart.hover_sqnr": {"en": "%{y}<br>SQNR %{customdata[1]}<br>%{customdata[0]} bits per value",
                             "zh": "%{y}<br>SQNR %{customdata[1]}<br>每值 %{customdata[0]} 比特"},
    "cmp.chart.sqnr_exact": {"en": "∞ (exact: no error; the bar is drawn 10 dB above the best finite one)",
                             "zh": "∞（精确，无误差；条形画在最高有限值之上 10 dB 处）"},
    "cmp.chart.hover_bits": {"en": "%{y}<br>%{customdata} bits per value", "zh": "%{y}<br>每值 %{customdata} 比特"},
    "cmp.chart.hover_pareto": {"en": "%{customdata[0]}<br>%{customdata[2]} bits per value<br>SQNR %{customdata[1]}",
                               "zh": "%{customdata[0]}<br>每值 %{customdata[2]} 比特<br>SQNR %{customdata[1]}"},
    "cmp.chart.sqnr_exact_point": {"en": "∞ (exact: no error; drawn 10 dB above the best finite one)",
                                   "zh": "∞（精确，无误差；画在最高有限值之上 10 dB 处）"},
    # page (pages/compare.py)
    "cmp.title": {"en": "Compare formats", "zh": "格式对比"},
    "cmp.intro": {
        "en": "One tensor, many formats and scale methods at once: which keeps the most signal for the bits it "
        "costs? Scales and zero points are counted in the bits per value.",
        "zh": "同一个张量，同时比较多种格式与缩放方法：在花费的比特数下，哪一种保留的信号最多？每值比特数已计入缩放因子和零点。",
    },
    "cmp.preset.default": {"en": "Default", "zh": "默认"},
    "cmp.preset.eight_bit": {"en": "8-bit", "zh": "8 位"},
    "cmp.preset.four_bit": {"en": "4-bit", "zh": "4 位"},
    "cmp.preset.int8_methods": {"en": "INT8 scale methods", "zh": "INT8 缩放方法"},
    "cmp.preset.all": {"en": "All {n}", "zh": "全部 {n} 种"},
    "cmp.presets_label": {"en": "Ready-made sets (each replaces the list below):", "zh": "现成的方案组（点击即替换下面的列表）："},
    "cmp.choices_label": {"en": "Formats and methods to compare", "zh": "要比较的格式与方法"},
    "cmp.choices_help": {
        "en": "\"none\" = cast with no scale; percentile, mse, kl and pow2 = percentile clipping, MSE search, KL "
        "calibration and a power-of-two scale; \"ch\" = one scale per channel, \"g128\" = one scale per group of "
        "128 values; block schemes (mx…, nvfp4, q8_0, q4_0, nf4) bring their own blocks.",
        "zh": "“none”表示不缩放（直接转换）；percentile、mse、kl、pow2 分别为百分位裁剪、MSE 搜索、KL 校准和 2 的幂缩放；"
        "“ch”表示每个通道一个缩放因子，“g128”表示每 128 个值一组共用一个缩放因子；"
        "块格式（mx…、nvfp4、q8_0、q4_0、nf4）自带分块。",
    },
    "cmp.axis": {"en": "Channel axis of per-channel choices (groups and blocks run along the last axis)",
                 "zh": "逐通道方案的通道轴（分组和块格式始终沿最后一个轴划分）"},
    "cmp.none_chosen": {"en": "Choose at least one format in the list above.", "zh": "请在上面的列表中至少选择一种格式。"},
    "cmp.running": {"en": "Quantizing with {label} ({i} of {n})…", "zh": "正在用 {label} 量化（第 {i}/{n} 个）……"},
    "cmp.done": {"en": "Done: {n} choices.", "zh": "完成：共 {n} 种方案。"},
    "cmp.table": {"en": "Ranking by SQNR", "zh": "按 SQNR 排名"},
    "cmp.waiting_same": {
        "en": "Someone else is running this same comparison right now (a class opening one link); its results "
        "will be shown here as soon as it finishes.",
        "zh": "其他人正在运行同一个对比（例如全班打开同一个链接）；运行一结束，结果就会显示在这里。",
    },
    "cmp.download": {"en": "Comparison table (.csv)", "zh": "对比表（.csv）"},
    "cmp.download_help": {
        "en": "Every choice in rank order with its settings and metrics at full precision (inf when exact), why "
        "a choice was skipped, the tensor and the channel axis. The column names are lib.quantize's metric "
        "names (sqnr_db, mse, ...), the same in both languages, so one script reads a file downloaded in either.",
        "zh": "按排名列出每个方案的设置和完整精度的指标（精确时为 inf）、方案被跳过的原因、张量名和通道轴。"
        "列名是 lib.quantize 的指标名（sqnr_db、mse 等），两种语言下相同，同一个脚本可以读取任一语言下载的文件。"},
    "cmp.best": {"en": "Best choice at each bit budget", "zh": "各比特预算下的最佳方案"},
    "cmp.best_help": {
        "en": "A budget of b bits allows up to b + 0.5 bits per value, leaving room for block scales, plus a "
        "0.01 tolerance (enough for one fp32 per-tensor scale on tensors of 3,200 values or more).",
        "zh": "b 比特预算允许每值最多 b + 0.5 比特，为块缩放因子留出空间；另加 0.01 的容差"
        "（张量不少于 3,200 个值时，足以容纳一个 fp32 逐张量缩放因子）。",
    },
    "cmp.budget": {"en": "budget (bits)", "zh": "预算（比特）"},
    "cmp.skipped": {"en": "{label} was skipped: {reason}", "zh": "已跳过 {label}：{reason}"},
    "cmp.channel_needs_matrix": {
        "en": "per-channel scales need a matrix; this tensor has shape {shape}, so every value would get its "
        "own scale (more bits than float32: a meaningless comparison). Use a 2-D tensor, or compare "
        "per-tensor and group choices.",
        "zh": "逐通道缩放需要矩阵；该张量形状为 {shape}，每个值都会有自己的缩放因子（比 float32 还多占比特，"
        "比较没有意义）。请使用二维张量，或比较逐张量和逐组方案。",
    },
    "cmp.best_overall": {"en": "Highest SQNR: {label}. {verdict}", "zh": "SQNR 最高：{label}。{verdict}"},
    "cmp.col.label": {"en": "format and method", "zh": "格式与方法"},
    "cmp.col.verdict": {"en": "verdict", "zh": "评价"},
    "cmp.short.exact": {"en": "exact", "zh": "精确"},
    "cmp.short.near_lossless": {"en": "near lossless", "zh": "几乎无损"},
    "cmp.short.good": {"en": "good", "zh": "良好"},
    "cmp.short.noticeable": {"en": "noticeable", "zh": "误差明显"},
    "cmp.short.severe": {"en": "severe", "zh": "误差严重"},
    "cmp.short.unknown": {"en": "unknown", "zh": "未知"},
    # whole-file mode (lib.compare_file, pages/compare.py)
    "cmp.whole_file": {"en": "All {n} tensors of the file (size-weighted)", "zh": "文件中全部 {n} 个张量（按大小加权）"},
    "cmp.file_too_many": {
        "en": "This file has {n} tensors to compare; a whole-file comparison runs at most {limit}. Turn off "
        "\"All tensors of the file\" to compare one tensor at a time, or upload a file with fewer tensors.",
        "zh": "此文件有 {n} 个待比较的张量；整个文件的对比最多运行 {limit} 个。请关闭“文件中全部张量”，逐个张量比较，"
        "或上传张量更少的文件。",
    },
    "cmp.whole_file_help": {
        "en": "Every choice runs on every tensor, and the results are combined as if the file were one tensor: "
        "SQNR = 10·log10(Σx² / Σ(x − x̂)²) over all the file's values (not the mean of the tensors' dB), "
        "bits per value = all stored bits / all values. Tensors of more than 2 dimensions take axis 0 as "
        "their channels. 1-D tensors (biases, norms) are left out unless you untick the box below; "
        "per-channel choices cannot run on them.",
        "zh": "每种方案都作用于每个张量，结果按整个文件视为一个张量来合并：SQNR = 10·log10(Σx² / Σ(x − x̂)²)，"
        "对文件中所有值求和（不是各张量 dB 的平均值）；每值比特数 = 全部存储比特 / 全部值数。"
        "超过二维的张量以轴 0 为通道。一维张量（偏置、归一化权重）默认略去，可在下方取消勾选；"
        "逐通道方案无法用于它们。",
    },
    "cmp.file_axis": {"en": "Channel axis of per-channel choices on every matrix (groups and blocks run along the last axis)",
                      "zh": "每个矩阵上逐通道方案的通道轴（分组和块格式始终沿最后一个轴划分）"},
    "cmp.file_axis_opt": {"en": "axis {axis} ({what})", "zh": "轴 {axis}（{what}）"},
    "cmp.file_axis_rows": {"en": "rows: output channels of a weight", "zh": "行：权重的输出通道"},
    "cmp.file_axis_cols": {"en": "columns", "zh": "列"},
    "cmp.file_running": {"en": "Tensor {i} of {n}: {name} · {label}", "zh": "第 {i}/{n} 个张量：{name} · {label}"},
    "cmp.file_done": {"en": "Done: {n} tensors × {k} choices.", "zh": "完成：{n} 个张量 × {k} 种方案。"},
    "cmp.file_summary": {
        "en": "Whole file {file}: {n} tensors, {values} values, combined per choice as one tensor.",
        "zh": "整个文件 {file}：{n} 个张量，共 {values} 个值，每种方案按一个张量合并计算。",
    },
    "cmp.file_failed": {
        "en": "it cannot run on {failed} of the file's {n} tensors ({tensors}), so it has no whole-file result. "
        "On {first}: {reason}",
        "zh": "它无法用于文件 {n} 个张量中的 {failed} 个（{tensors}），因此没有整个文件的结果。例如 {first}：{reason}",
    },
    "cmp.file_failed_more": {
        "en": "it cannot run on {failed} of the file's {n} tensors ({tensors} and {more} more), so it has no "
        "whole-file result. On {first}: {reason}",
        "zh": "它无法用于文件 {n} 个张量中的 {failed} 个（{tensors} 等，另有 {more} 个），因此没有整个文件的结果。"
        "例如 {first}：{reason}",
    },
    "cmp.file_excluded": {"en": "Tensor {name} is left out of every choice: {reason}",
                          "zh": "张量 {name} 未参与任何方案：{reason}"},
    "cmp.file_no_tensor": {
        "en": "None of the file's {n} tensors can be quantized; why, for each one, is below.",
        "zh": "文件的 {n} 个张量都无法量化；每个张量的原因见下方。",
    },
    "cmp.file_no_tensor_one": {
        "en": "The file's one tensor that is not 1-D cannot be quantized; why is below.",
        "zh": "文件中唯一一个非一维张量无法量化；原因见下方。",
    },
    "cmp.file_only_vectors": {
        "en": "All {n} tensors of the file are 1-D (biases, norms) and are left out. Untick “Leave out 1-D "
        "tensors” to compare them.",
        "zh": "文件的 {n} 个张量都是一维的（偏置、归一化权重），已全部略去。取消勾选“略去一维张量”即可对比它们。",
    },
    "cmp.skip_vectors": {"en": "Leave out 1-D tensors (biases, norms)", "zh": "略去一维张量（偏置、归一化权重）"},
    "cmp.skip_vectors_help": {
        "en": "Quantization recipes usually keep biases and norm weights in 16 or 32 bits: llama.cpp stores "
        "norms in F32, and torch.ao's default recipes keep biases and norm weights in float. Per-channel "
        "choices cannot run on them either (a 1-D tensor has no channel axis).",
        "zh": "量化方案通常把偏置和归一化权重保留为 16 位或 32 位：llama.cpp 以 F32 存储归一化权重，torch.ao "
        "的默认方案也让偏置和归一化权重保持浮点。逐通道方案也无法用于它们（一维张量没有通道轴）。",
    },
    "cmp.vectors_left_out": {
        "en": "Left out: {n} 1-D tensors with {values} values in all ({names}).",
        "zh": "已略去 {n} 个一维张量，共 {values} 个值（{names}）。",
    },
    "cmp.vectors_left_out_one": {
        "en": "Left out: one 1-D tensor with {values} values ({names}).",
        "zh": "已略去 1 个一维张量，共 {values} 个值（{names}）。",
    },
    "cmp.download_file": {"en": "Whole-file comparison (.csv)", "zh": "整个文件的对比表（.csv）"},
    "cmp.per_tensor": {"en": "Per tensor", "zh": "逐张量"},
    "cmp.per_tensor_choice": {"en": "Choice to break down by tensor", "zh": "要逐张量查看的方案"},
    "cmp.per_tensor_help": {
        "en": "Worst SQNR first. \"share of the file's error\" is the tensor's Σ(x − x̂)² as a part of the whole "
        "file's: the tensors with the largest shares set the file's SQNR.",
        "zh": "SQNR 最低的排在前面。“占文件误差比例”是该张量的 Σ(x − x̂)² 占整个文件的比例：比例最大的张量决定文件的 SQNR。",
    },
    "cmp.col.tensor": {"en": "tensor", "zh": "张量"},
    "cmp.col.shape": {"en": "shape", "zh": "形状"},
    "cmp.col.values": {"en": "values", "zh": "值数"},
    "cmp.col.error_share": {"en": "share of the file's error", "zh": "占文件误差比例"},
}
