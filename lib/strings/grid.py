"""Strings of the Grid page (量化网格) and of lib/charts_grid.py."""

STRINGS: dict[str, dict[str, str]] = {
    "grid.overlay_placeholder": {"en": "Choose up to {n} formats", "zh": "最多选择 {n} 种格式"},
    "grid.overlay_too_many": {"en": "At most {n} formats fit one chart, so {left} was not added. Remove one first.",
                              "zh": "一张图最多容纳 {n} 种格式，因此未加入 {left}。请先移除一种。"},
    # --- charts ---
    "grid.title_line": {"en": "Every representable value on a number line", "zh": "数轴上的全部可表示值"},
    "grid.title_gap": {"en": "Gap to the next value", "zh": "到下一个值的间隔"},
    "grid.gap_none": {"en": "{names}: fewer than two positive values, so no gap to draw",
                      "zh": "{names}：正值少于两个，没有可画的间隔"},
    "grid.title_round": {"en": "Rounding boundaries", "zh": "舍入边界"},
    "grid.axis_value": {"en": "value x", "zh": "数值 x"},
    "grid.axis_abs_log": {"en": "|x| (log scale; the negative half mirrors it)", "zh": "|x|（对数坐标；负半轴与之对称）"},
    "grid.axis_abs_log_own": {
        "en": "|x| (log scale; the negative values differ from the positive ones: ▽ marks them at |x|)",
        "zh": "|x|（对数坐标；负值与正值不对称：▽ 标出负值的 |x|）",
    },
    "grid.axis_abs_log_mixed": {"en": "|x| (log scale; {parts})", "zh": "|x|（对数坐标；{parts}）"},
    "grid.log_part_mirror": {"en": "{names}: the negative half mirrors it", "zh": "{names}：负半轴与之对称"},
    "grid.log_part_own": {"en": "{names}: negative values at |x| (▽)", "zh": "{names}：负值以 |x| 标出（▽）"},
    "grid.log_part_none": {"en": "{names}: no negative values", "zh": "{names}：没有负值"},
    "grid.part_sep": {"en": "; ", "zh": "；"},
    "grid.name_sep": {"en": ", ", "zh": "、"},
    "grid.axis_value_log": {"en": "value x (log scale)", "zh": "数值 x（对数坐标）"},
    "grid.axis_gap": {"en": "gap to the next value (log scale)", "zh": "到下一个值的间隔（对数坐标）"},
    "grid.legend_values": {"en": "representable values", "zh": "可表示值"},
    "grid.legend_midpoints": {"en": "midpoints (rounding boundaries)", "zh": "中点（舍入边界）"},
    "grid.legend_negative": {"en": "{name}: negative values (|x|)", "zh": "{name}：负值（|x|）"},
    # plotly hover templates. A number from customdata without a :format prints as the shortest decimal
    # that reads back as exactly that float64 (448, 0.1015625, 1.1754943508222875e-38).
    "grid.hover_value": {
        "en": "value %{customdata[2]}<br>next value is %{customdata[1]} above",
        "zh": "数值 %{customdata[2]}<br>与下一个值相差 %{customdata[1]}",
    },
    "grid.hover_binade": {
        "en": "binade from %{customdata[2]}<br>%{customdata[0]:,} values, %{customdata[1]} apart",
        "zh": "从 %{customdata[2]} 开始的二进制区间<br>共 %{customdata[0]:,} 个值，间隔 %{customdata[1]}",
    },
    "grid.hover_subnormal": {
        "en": "subnormals from %{customdata[2]}<br>%{customdata[0]:,} values, %{customdata[1]} apart",
        "zh": "从 %{customdata[2]} 开始的次正规数<br>共 %{customdata[0]:,} 个值，间隔 %{customdata[1]}",
    },
    "grid.hover_max": {"en": "largest value {value}", "zh": "最大值 {value}"},
    "grid.hover_min": {"en": "most negative value {value}", "zh": "最小（最负）值 {value}"},
    "grid.hover_gap": {
        "en": "value %{{customdata[0]}}<br>gap %{{customdata[1]}} (relative {approx}%{{customdata[2]:{r}}})",
        "zh": "数值 %{{customdata[0]}}<br>间隔 %{{customdata[1]}}（相对间隔 {approx}%{{customdata[2]:{r}}}）",
    },
    "grid.hover_round_lowest": {
        "en": "stored value {value}, the format's lowest<br>every x below {hi} rounds here,<br>or lies below the range "
        "(then: clamped here, −∞ or NaN, see Overflow on the Bits page)",
        "zh": "存储值 {value}，该格式的最小值<br>小于 {hi} 的 x 都舍入到这里，<br>或低于范围（此时：截到这里、−∞ 或 NaN，见位级布局页的溢出处理）",
    },
    "grid.hover_round_highest": {
        "en": "stored value {value}, the format's largest<br>every x above {lo} rounds here,<br>or lies beyond the range "
        "(then: clamped here, ∞ or NaN, see Overflow on the Bits page)",
        "zh": "存储值 {value}，该格式的最大值<br>大于 {lo} 的 x 都舍入到这里，<br>或超出范围（此时：截到这里、∞ 或 NaN，见位级布局页的溢出处理）",
    },
    # exact values (float32's can take 40 digits): one long number a line, so a hover fits a half-width chart
    "grid.hover_round": {
        "en": "stored value {value}<br>every x strictly between {lo}<br>and {hi} rounds here",
        "zh": "存储值 {value}<br>严格位于 {lo}<br>与 {hi} 之间的 x 都舍入到这里",
    },
    "grid.hover_mid": {
        "en": "midpoint between {lo}<br>and {hi}<br>exactly {mid}<br>is stored as {to}",
        "zh": "{lo} 与<br>{hi} 之间的中点<br>恰好等于 {mid} 的数<br>存为 {to}",
    },
}
STRINGS.update({
    # --- page ---
    "grid.title": {"en": "Grid: where a format's values lie", "zh": "量化网格：格式能表示哪些值"},
    "grid.intro": {
        "en": "A format can only store the values of its grid. Floats crowd near zero (roughly equal relative "
        "steps: the step doubles at each power of two; subnormals are evenly spaced), integers are evenly spaced. Every number is rounded to the nearest point of the grid.",
        "zh": "一种格式只能存储其网格上的值。浮点数在零附近密集（相对间隔大致相同：每过一个 2 的幂，间隔就翻倍；次正规数均匀分布）"
              "，整数则均匀分布。每个数都会被舍入到网格上最近的点。",
    },
    "grid.format": {"en": "Format", "zh": "格式"},
    "grid.scale": {"en": "Axis", "zh": "横轴刻度"},
    "grid.scale_linear": {"en": "linear", "zh": "线性"},
    "grid.scale_log": {"en": "log |x|", "zh": "对数 |x|"},
    "grid.binned_note": {
        "en": "{name} has {count} finite values: each marker stands for one binade [2^e, 2^(e+1)), "
        "except the first above 0, which stands for all the subnormals [smallest subnormal, smallest "
        "normal) (a marker's size grows with the number of values inside; hover for the count and step).",
        "zh": "{name} 共有 {count} 个有限值：每个标记代表一个二进制区间 [2^e, 2^(e+1))，"
        "但 0 之上的第一个标记代表全部次正规数 [最小次正规数, 最小正规数)"
        "（标记越大，其中的值越多；悬停可查看个数和间隔）。",
    },
    "grid.download": {"en": "Every value of {name} (.csv)", "zh": "{name} 的全部数值（.csv）"},
    "grid.table_too_wide": {
        "en": "{name} has {bits} bits: too many values to list (at most {max} bits). Choose a narrower format.",
        "zh": "{name} 有 {bits} 位：数值太多，无法全部列出（最多 {max} 位）。请选择更窄的格式。",
    },
    "grid.exact_note": {"en": "{name}: all {count} finite values.", "zh": "{name}：全部 {count} 个有限值。"},
    "grid.center": {"en": "Show rounding boundaries around", "zh": "显示此数附近的舍入边界"},
    "grid.center_help": {
        "en": "The chart shows 12 neighbouring grid values near this number and the midpoints between them.",
        "zh": "图中显示该数附近 12 个相邻的网格值及它们之间的中点。",
    },
    "grid.center_above": {
        "en": "{center} is beyond the largest value of {name} ({limit}), so the chart shows the top of the range.",
        "zh": "{center} 超出了 {name} 的最大值（{limit}），因此图中显示的是取值范围的顶端。",
    },
    "grid.center_below": {
        "en": "{center} is below the smallest value of {name} ({limit}), so the chart shows the bottom of the range.",
        "zh": "{center} 低于 {name} 的最小值（{limit}），因此图中显示的是取值范围的底端。",
    },
    "grid.overlay_title": {"en": "Two or more formats on one scale", "zh": "多种格式在同一刻度上对比"},
    "grid.overlay": {"en": "Formats to compare", "zh": "要比较的格式"},
    "grid.rescale": {"en": "Scale all to the same largest value", "zh": "缩放到相同的最大值"},
    "grid.rescale_note": {
        "en": "Each format is multiplied so that its largest value becomes {top} (as absmax quantization "
        "does): {name} × {factor} next to {ref}, for example.",
        "zh": "每种格式都乘以一个系数，使其最大值变为 {top}（与 absmax 量化相同），例如 {name} × {factor} 与 {ref} 对比。",
    },
    "grid.rescale_same": {
        "en": "Every chosen format already has the largest value {top}, so nothing is scaled.",
        "zh": "所选格式的最大值都已是 {top}，因此无需缩放。",
    },
    "grid.overlay_empty": {"en": "Choose at least one format to compare.", "zh": "请至少选择一种格式进行比较。"},
    "grid.preset_int8_fp8": {"en": "INT8 vs FP8 E4M3", "zh": "INT8 对比 FP8 E4M3"},
    "grid.preset_four_bit": {"en": "FP4 vs NF4 vs INT4", "zh": "FP4、NF4 与 INT4 对比"},
    "grid.binades": {"en": "Binades of {name}", "zh": "{name} 的二进制区间"},
    "grid.col_start": {"en": "start (binade, or the subnormals)", "zh": "起点（二进制区间，或次正规数）"},
    "grid.col_count": {"en": "values", "zh": "值的个数"},
    "grid.col_step": {"en": "step", "zh": "间隔"},
    # --- the "every value" CSV (lib/value_table.py): English headers are the data names
    "grid.csv_value": {"en": "value", "zh": "数值"},
    "grid.csv_hex": {"en": "hex", "zh": "十六进制"},
    "grid.csv_bits": {"en": "bits", "zh": "位模式"},
    "grid.csv_gap_to_next": {"en": "gap_to_next", "zh": "到下一个值的间隔"},
})
