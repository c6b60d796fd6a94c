"""Strings of the Quantize page (张量量化), its charts and the worked example."""

STRINGS: dict[str, dict[str, str]] = {
    # worked example (lib.worked_example)
    "quant.we.amax": {"en": "largest magnitude", "zh": "最大绝对值"},
    "quant.we.amax_unsigned": {"en": "largest value (at least 0)", "zh": "最大值（不小于 0）"},
    "quant.we.range": {"en": "range (widened to include 0)", "zh": "范围（扩展到包含 0）"},
    "quant.we.scale": {"en": "scale", "zh": "缩放因子"},
    "quant.we.zero_point": {"en": "zero point", "zh": "零点"},
    "quant.we.scaled": {"en": "divided by the scale", "zh": "除以缩放因子"},
    "quant.we.rounded": {"en": "rounded (ties to even)", "zh": "舍入（中点取偶）"},
    "quant.we.code": {"en": "clipped = stored integer code", "zh": "裁剪 = 存储的整数编码"},
    "quant.we.dequant": {"en": "dequantized x̂", "zh": "反量化值 x̂"},
    "quant.we.error": {"en": "error", "zh": "误差"},
    "quant.we.col_step": {"en": "step", "zh": "步骤"},
    "quant.we.col_formula": {"en": "formula", "zh": "公式"},
    "quant.we.not_int": {
        "en": "The worked example uses integer formats; {fmt} is not one. Choose int8, int4, uint8 or int2.",
        "zh": "演算示例使用整数格式；{fmt} 不是整数格式。请选择 int8、int4、uint8 或 int2。",
    },
    "quant.we.size": {
        "en": "The worked example shows 1 to {max} numbers, not {n}. Type fewer numbers.",
        "zh": "演算示例只能显示 1 到 {max} 个数，当前有 {n} 个。请输入更少的数。",
    },
    "quant.we.nonfinite": {
        "en": "The worked example needs finite numbers (no NaN or infinity). Remove them and try again.",
        "zh": "演算示例需要有限的数（不能有 NaN 或无穷大）。请删除它们后重试。",
    },
    "quant.we.method": {
        "en": "The worked example knows absmax and minmax, not {method}. Choose one of those two.",
        "zh": "演算示例支持 absmax 和 minmax，不支持 {method}。请选择其中之一。",
    },
    # charts (lib.charts_quant)
    "quant.chart.hist_title": {"en": "Values and the quantization grid", "zh": "数值与量化网格"},
    "quant.chart.values": {"en": "values", "zh": "数值"},
    "quant.chart.values_outside": {"en": "values ({pct} of them outside this view)", "zh": "数值（{pct} 在视图之外）"},
    "quant.chart.values_all_in": {"en": "values (all of them in this view)", "zh": "数值（全部在视图之内）"},
    "quant.chart.values_no_bulk": {"en": "values (no bulk to zoom in on: over 99% of them are 0)",
                                   "zh": "数值（无可放大的主体：超过 99% 为 0）"},
    "quant.chart.value": {"en": "value", "zh": "数值"},
    "quant.chart.count": {"en": "count", "zh": "计数"},
    "quant.chart.levels": {"en": "quantization levels ({n} in view)", "zh": "量化级别（视图内 {n} 个）"},
    "quant.chart.level_density": {"en": "levels per bin ({n} levels in view)",
                                  "zh": "每个分箱的级别数（视图内 {n} 个级别）"},
    "quant.chart.levels_per_bin": {"en": "levels per bin", "zh": "每分箱级别数"},
    "quant.chart.clip": {"en": "lowest and highest level {lo} and {hi}", "zh": "最低和最高级别 {lo} 和 {hi}"},
    "quant.chart.clip_beyond": {"en": "lowest and highest level {lo} and {hi} (beyond this view)",
                                "zh": "最低和最高级别 {lo} 和 {hi}（在此视图之外）"},
    "quant.chart.hover_bin": {"en": "around %{x:.4g}<br>count %{y:,}", "zh": "约 %{x:.4g}<br>计数 %{y:,}"},
    "quant.chart.hover_density": {"en": "around %{x:.4g}<br>%{y:,} levels", "zh": "约 %{x:.4g}<br>%{y:,} 个级别"},
    "quant.chart.usage_title": {"en": "How often each level is used", "zh": "各级别的使用次数"},
    "quant.chart.usage_sub": {"en": "{used} of {avail} levels used", "zh": "共 {avail} 个级别，使用了 {used} 个"},
    "quant.chart.level_rank": {"en": "level (sorted by value)", "zh": "级别（按数值排序）"},
    "quant.chart.codes": {"en": "codes", "zh": "编码"},
    "quant.chart.hover_level": {"en": "level %{x:,}<br>element value %{customdata:.4g}<br>used %{y:,} times",
                                "zh": "级别 %{x:,}<br>元素值 %{customdata:.4g}<br>使用 %{y:,} 次"},
    "quant.chart.err_title": {"en": "Error against value", "zh": "误差与数值的关系"},
    "quant.chart.error": {"en": "error x̂ − x", "zh": "误差 x̂ − x"},
    "quant.chart.sampled": {"en": "{n} of {total} values (random sample)", "zh": "{total} 个值中的 {n} 个（随机抽样）"},
    "quant.chart.all_points": {"en": "all {n} values", "zh": "全部 {n} 个值"},
    "quant.chart.finite_points": {"en": "{n} of {total} values (NaN / Inf left out)",
                                  "zh": "{total} 个值中的 {n} 个（不含 NaN / Inf）"},
    "quant.chart.hover_err": {"en": "x %{x:.4g}<br>error %{y:.3g}", "zh": "x %{x:.4g}<br>误差 %{y:.3g}"},
    "quant.chart.errhist_title": {"en": "Distribution of the error", "zh": "误差分布"},
    "quant.chart.heat_title": {"en": "Where the error is", "zh": "误差在矩阵中的分布"},
    "quant.chart.heat_sub": {"en": "mean |error| per block of the matrix", "zh": "矩阵每块的平均 |误差|"},
    "quant.chart.abs_error": {"en": "mean |error|", "zh": "平均 |误差|"},
    "quant.chart.col_block": {"en": "column block", "zh": "列块"},
    "quant.chart.row_block": {"en": "row block", "zh": "行块"},
    "quant.chart.hover_heat": {"en": "row block %{y}, column block %{x}<br>mean |error| %{z:.3g}",
                               "zh": "行块 %{y}，列块 %{x}<br>平均 |误差| %{z:.3g}"},
    "quant.chart.scales_title": {"en": "Scale of each channel or block", "zh": "每个通道或块的缩放因子"},
    "quant.chart.channel": {"en": "channel or block", "zh": "通道或块"},
    "quant.chart.scale": {"en": "scale", "zh": "缩放因子"},
    "quant.chart.hover_scale": {"en": "#%{x:,}<br>scale %{y:.4g}", "zh": "#%{x:,}<br>缩放因子 %{y:.4g}"},
    # page (pages/quantize.py, ui_data.py)
    "quant.data.upload_first": {"en": "Choose a file in the sidebar to see it quantized.",
                                "zh": "请在侧边栏选择一个文件，查看其量化结果。"},
    "cmp.data.upload_first": {"en": "Choose a file in the sidebar to compare formats on it.",
                              "zh": "请在侧边栏选择一个文件，在它上面比较各种格式。"},
    "quant.title": {"en": "Quantize a tensor", "zh": "张量量化"},
    "quant.intro": {
        "en": "Pick a tensor in the sidebar, then a format and a scale method: see the grid the values land on, "
        "how many levels they use, and how large the error is.",
        "zh": "在侧边栏选择一个张量，再选择格式和缩放方法：查看数值落在哪些网格点上、用了多少个级别，以及误差有多大。",
    },
    "quant.format": {"en": "Format", "zh": "格式"},
    "quant.format_help": {"en": "Element formats first (floats, integers, NF4), then block schemes (MX, NVFP4, GGUF, NF4).",
                          "zh": "先是元素格式（浮点、整数、NF4），然后是块格式（MX、NVFP4、GGUF、NF4）。"},
    "quant.method": {"en": "Scale method", "zh": "缩放方法"},
    "quant.method_help": {
        "en": "How the scale is chosen (qmax: the format's largest value, 127 for int8). For unsigned "
              "formats |x| below means max(x, 0): their negative values become 0 except with min-max.\n\n"
              "- **none**: no scale (1): values are cast as they are.\n"
              "- **absmax**: scale = max|x| / qmax; symmetric, nothing is clipped.\n"
              "- **min-max**: scale = (max − min) / (qmax − qmin) over the range widened to include 0, "
              "zero point = qmin − round(min / scale), code = clip(round(x / scale) + zero point). "
              "Integer formats only.\n"
              "- **percentile**: clip at the p-th percentile of |x| (numpy's linear interpolation), "
              "then as absmax.\n"
              "- **MSE search**: tries the clipping points α·max|x|, α = 1/128 … 128/128, and keeps the one "
              "with the smallest squared error, estimated from a histogram of |x| (2048 bins; within about 1 % of "
              "the exact best); per channel each channel gets its own α, from its own histogram of 256–2048 bins "
              "(fewer when there are more than 1,024 channels, so a coarser estimate); with groups one α is "
              "shared by all groups (each group clips at α × its own max|x|).\n"
              "- **KL calibration**: TensorRT's entropy calibration: of the 1,921 clipping points at bins "
              "128 … 2048 of a histogram of |x|, the one whose quantized distribution is closest to the "
              "original (KL divergence); one α for the whole tensor, applied to each channel's or group's max|x|.\n"
              "- **power of two**: the absmax scale rounded up to a power of two (a shift in hardware).",
        "zh": "缩放因子如何选取（qmax：格式的最大值，int8 为 127）。对无符号格式，下文的 |x| 指 max(x, 0)："
              "除 min-max 外，负值都变为 0。\n"
              "\n"
              "- **无**：不缩放（缩放因子为 1），直接转换。\n"
              "- **absmax**：缩放因子 = max|x| / qmax；对称，不裁剪任何值。\n"
              "- **min-max**：在扩展到包含 0 的范围上，缩放因子 = (max − min) / (qmax − qmin)，"
              "零点 = qmin − round(min / 缩放因子)，编码 = clip(round(x / 缩放因子) + 零点)。"
              "仅限整数格式。\n"
              "- **百分位裁剪**：在 |x| 的第 p 百分位处裁剪（numpy 的线性插值），其余同 absmax。"
              "\n"
              "- **MSE 搜索**：尝试裁剪点 α·max|x|，α = 1/128 … 128/128，保留平方误差最小的一个（误差由 |x| 的直方图估算：2048 个分箱，"
              "与精确最优相差约 1% 以内）；逐通道时每个通道各选一个 α，用各自 256–2048 个分箱的直方图（通道多于 1,024 个时分箱更少，估算也更粗），逐组时所有组共用一个 α（每组在 α × 本组 max|x| 处裁剪）"
              "。\n"
              "- **KL 校准**：TensorRT 的熵校准：在 |x| 直方图第 128 … 2048 个分箱边界处的 1,921 个裁剪点中，"
              "选量化后分布与原分布最接近（KL 散度最小）的一个；整个张量共用一个 α，乘以各通道或各组的 max|x|。"
              "\n"
              "- **2 的幂缩放**：把 absmax 缩放因子向上取整到 2 的幂（硬件中只需移位）。",
    },
    "quant.method.none": {"en": "none (cast directly)", "zh": "无（直接转换）"},
    "quant.method.absmax": {"en": "absmax (symmetric)", "zh": "absmax（对称）"},
    "quant.method.minmax": {"en": "min-max (affine)", "zh": "min-max（仿射）"},
    "quant.method.percentile": {"en": "percentile clipping", "zh": "百分位裁剪"},
    "quant.method.mse": {"en": "MSE search", "zh": "MSE 搜索"},
    "quant.method.kl": {"en": "KL (entropy) calibration", "zh": "KL（熵）校准"},
    "quant.method.pow2": {"en": "power-of-two scale", "zh": "2 的幂缩放"},
    "quant.granularity": {"en": "Granularity", "zh": "粒度"},
    "quant.gran.tensor": {"en": "per tensor", "zh": "逐张量"},
    "quant.gran.channel": {"en": "per channel", "zh": "逐通道"},
    "quant.gran.group": {"en": "per group", "zh": "逐组"},
    "quant.axis": {"en": "Channel axis", "zh": "通道轴"},
    "quant.axis_opt": {"en": "axis {axis} ({n:,} channels)", "zh": "轴 {axis}（{n:,} 个通道）"},
    "quant.block_size": {"en": "Group size", "zh": "分组大小"},
    "quant.percentile": {"en": "Percentile of |x| to keep", "zh": "保留的 |x| 百分位"},
    "quant.overflow": {"en": "Overflow", "zh": "溢出处理"},
    "quant.overflow.saturate": {"en": "saturate (clamp to ±max)", "zh": "饱和（裁剪到 ±max）"},
    "quant.overflow.ieee": {"en": "IEEE cast (Inf/NaN, as ml_dtypes)",
                            "zh": "IEEE 转换（Inf/NaN，同 ml_dtypes）"},
    "quant.rounding": {"en": "Rounding", "zh": "舍入方式"},
    "quant.unsigned_negatives": {
        "en": "{fmt} has no negative values: with a symmetric scale ({method}) every negative value is stored as 0 "
        "({pct} of this tensor). Choose min-max (affine: a zero point shifts the range), or a signed format such as "
        "{signed}.",
        "zh": "{fmt} 没有负值：使用对称缩放（{method}）时，所有负值都存为 0（占该张量的 {pct}）。"
        "请选择 min-max（仿射：用零点平移范围），或改用有符号格式，例如 {signed}。",
    },
    "quant.unsigned_negatives_cast": {
        "en": "{fmt} has no negative values: cast with no scale, every negative value is stored as 0 ({pct} of this "
        "tensor). Choose min-max (affine: a zero point shifts the range), or a signed format such as {signed}.",
        "zh": "{fmt} 没有负值：不缩放直接转换时，所有负值都存为 0（占该张量的 {pct}）。"
        "请选择 min-max（仿射：用零点平移范围），或改用有符号格式，例如 {signed}。",
    },
    # lib.compare.underflow_note: a float format with no scale (method "none") and values that became 0
    "quant.flushed_note": {
        "en": "{pct} of the non-zero values are at most half of {fmt}'s smallest subnormal (2^{sub_exp} / 2 = "
        "2^{half_exp} ≈ {half}) in size and became 0: a scale moves them into the format's range.",
        "zh": "{pct} 的非零数值的绝对值不超过 {fmt} 最小次正规数的一半（2^{sub_exp} / 2 = 2^{half_exp} ≈ {half}），"
        "被舍入为 0：缩放因子可以把它们移入该格式的范围。",
    },
    "quant.flushed_note_below": {
        "en": "{pct} of the non-zero values are smaller in size than {fmt}'s smallest subnormal (2^{sub_exp} ≈ "
        "{sub}) and became 0: a scale moves them into the format's range.",
        "zh": "{pct} 的非零数值的绝对值小于 {fmt} 的最小次正规数（2^{sub_exp} ≈ {sub}），"
        "被舍入为 0：缩放因子可以把它们移入该格式的范围。",
    },
    "quant.flushed_scaled": {
        "en": "{pct} of the non-zero values became 0: each is at most half of the nearest non-zero level of "
        "its scaled grid in size. A scale for a smaller group of values (per channel, per group, a block "
        "format) gives small values a finer grid, unless large ones share their group.",
        "zh": "{pct} 的非零数值被舍入为 0：它们的绝对值都不超过所在缩放网格中最近的非零级别的一半。"
        "为更小的一组数值设缩放因子（逐通道、逐组或块格式）能让小数值得到更细的网格，除非大数值与它们同组。",
    },
    "quant.flushed_scaled_below": {
        "en": "{pct} of the non-zero values became 0: each is smaller in size than the nearest non-zero level "
        "of its scaled grid. A scale for a smaller group of values (per channel, per group, a block format) "
        "gives small values a finer grid, unless large ones share their group.",
        "zh": "{pct} 的非零数值被舍入为 0：它们的绝对值都小于所在缩放网格中最近的非零级别。"
        "为更小的一组数值设缩放因子（逐通道、逐组或块格式）能让小数值得到更细的网格，除非大数值与它们同组。",
    },
    "quant.channel_1d": {
        "en": "This tensor is 1-D (shape {shape}), so it has no channels: per channel gives every value its own "
        "scale, {bits:.3g} bits per value, more than float32's 32, so the numbers here say little about the "
        "format. Choose per tensor or per group, or load a matrix.",
        "zh": "该张量是一维的（形状 {shape}），没有通道：逐通道会给每个值一个缩放因子，每值 {bits:.3g} 比特，"
        "比 float32 的 32 比特还多，因此这里的数字几乎不能说明该格式的好坏。请选择逐张量或逐组，或加载矩阵。",
    },
    "quant.rounding.nearest_even": {"en": "to nearest, ties to even", "zh": "就近舍入，中点取偶"},
    "quant.rounding.nearest_away": {"en": "to nearest, ties away from 0", "zh": "就近舍入，中点远离零"},
    "quant.rounding.toward_zero": {"en": "toward zero (truncate)", "zh": "向零舍入（截断）"},
    "quant.rounding.stochastic": {"en": "stochastic (seeded)", "zh": "随机舍入（固定种子）"},
    "quant.block_method.mx": {"en": "shared 2^k scale (E8M0)", "zh": "共享 2^k 缩放（E8M0）"},
    "quant.block_method.nvfp4": {"en": "E4M3 × FP32 scales", "zh": "E4M3 × FP32 缩放"},
    "quant.block_method.gguf": {"en": "absmax per block (FP16)", "zh": "逐块 absmax（FP16）"},
    "quant.block_method.nf4": {"en": "absmax per block (FP32)", "zh": "逐块 absmax（FP32）"},
    "quant.block_gran": {"en": "blocks of {n} values", "zh": "每块 {n} 个值"},
    "quant.block_fixed": {
        "en": "{fmt} is a block scheme: its block size and scale rule are fixed by the scheme, so method and "
        "granularity do not apply.",
        "zh": "{fmt} 是块格式：块大小和缩放规则由格式本身规定，因此缩放方法和粒度不适用。",
    },
    "quant.gguf_rounding": {
        "en": "GGUF fixes its rounding too (Q8_0: nearest, ties away from 0; Q4_0: trunc(x/d + 8.5)), so the "
        "overflow and rounding choices do not apply.",
        "zh": "GGUF 的舍入规则也是固定的（Q8_0：就近舍入，中点远离零；Q4_0：trunc(x/d + 8.5)），"
              "因此溢出处理和舍入方式的选择不适用。",
    },
    "quant.metrics": {"en": "What was lost", "zh": "量化损失"},
    "quant.working": {"en": "Quantizing {n} values to {label}…", "zh": "正在把 {n} 个值量化为 {label}……"},
    "quant.drawing": {"en": "Drawing the charts…", "zh": "正在绘制图表……"},
    "quant.metric": {"en": "metric", "zh": "指标"},
    "quant.metric_value": {"en": "value", "zh": "数值"},
    "quant.m.sqnr_db": {"en": "SQNR (dB, higher is better)", "zh": "SQNR（dB，越高越好）"},
    "quant.m.rmse": {"en": "RMS error", "zh": "均方根误差"},
    "quant.m.mse": {"en": "mean squared error", "zh": "均方误差"},
    "quant.m.max_abs_error": {"en": "largest |error|", "zh": "最大 |误差|"},
    "quant.m.mean_abs_error": {"en": "mean |error|", "zh": "平均 |误差|"},
    "quant.m.cosine": {"en": "cosine similarity", "zh": "余弦相似度"},
    "quant.m.clipped_fraction": {"en": "fraction of values clipped", "zh": "裁剪比例"},
    "quant.m.overflow_fraction": {"en": "fraction of values beyond the range (now ±inf or NaN)",
                                  "zh": "超出范围的比例（变为 ±inf 或 NaN）"},
    "quant.m.flushed_to_zero_fraction": {"en": "fraction of non-zero values rounded to 0 (underflow)",
                                         "zh": "非零数值下溢为 0 的比例"},
    "quant.m.nonfinite_count": {"en": "NaN / Inf values (left out)", "zh": "NaN / Inf 值个数（不计入）"},
    "quant.m.levels_used": {"en": "levels used", "zh": "已使用的级别数"},
    "quant.m.levels_available": {"en": "levels available", "zh": "可用的级别数"},
    "quant.m.bits_per_element": {"en": "bits per value (scales and zero points included)",
                                 "zh": "每值比特数（含缩放因子和零点）"},
    "quant.m.compression_vs_fp32": {"en": "compression vs float32", "zh": "相对 float32 的压缩比"},
    "quant.tab.hist": {"en": "Values and grid", "zh": "数值与网格"},
    "quant.tab.usage": {"en": "Levels used", "zh": "级别使用情况"},
    "quant.tab.error": {"en": "Error", "zh": "误差"},
    "quant.tab.heat": {"en": "Error map", "zh": "误差热力图"},
    "quant.tab.scales": {"en": "Scales", "zh": "缩放因子"},
    "quant.log_y": {"en": "Logarithmic count axis", "zh": "计数轴使用对数刻度"},
    "quant.bulk": {"en": "Zoom in on the bulk", "zh": "放大主体数值"},
    "quant.bulk_help": {
        "en": "Draws the values and levels only where |x| is at most 9 × the median |x| (about ±6 standard "
        "deviations for normal data), with the same number of bins, so they are much finer: you can see which "
        "levels the bulk of the values lands on. Outliers beyond are left out; the legend says what share of "
        "the values that is.",
        "zh": "只绘制 |x| 不超过 9 × |x| 中位数的范围（对正态分布约为 ±6 个标准差）内的数值和级别；分箱数不变，"
        "因此分箱更细，便于看清大部分数值落在哪些级别上。超出的离群值不绘制；图例会说明它们占全部数值的比例。",
    },
    "quant.grid_note": {
        "en": "With one scale per channel or block, each has its own grid; the levels drawn are those of the "
        "channel or block with the largest scale.",
        "zh": "逐通道或逐块量化时，每个通道或块都有自己的网格；图中画出的是缩放因子最大的那个通道或块的级别。",
    },
    "quant.ex.title": {"en": "Examples for class", "zh": "课堂示例"},
    "quant.ex.intro": {
        "en": "One click loads the data and the format; a hint says what to look at and what to try next.",
        "zh": "点击一次即载入数据和格式；提示会说明该看什么、下一步试什么。",
    },
    "quant.ex.fp8_scale": {"en": "Why FP8 needs a scale", "zh": "FP8 为什么需要缩放因子"},
    "quant.ex.fp8_scale.hint": {
        "en": "Tiny values (normal × 10⁻⁴, none above 0.0005) cast to float8_e4m3fn with no scale: all of them "
        "are smaller than half its smallest subnormal 2^-9, so every one becomes 0 (SQNR 0 dB). Now pick the "
        "scale method absmax: the largest value maps to 448 and the SQNR is 31.5 dB.",
        "zh": "很小的数值（正态分布 × 10⁻⁴，都不超过 0.0005）不经缩放直接转换为 float8_e4m3fn：它们都小于其"
        "最小次正规数 2^-9 的一半，因此全部变成 0（SQNR 0 dB）。现在把缩放方法改为 absmax：最大值映射到 448，"
        "SQNR 为 31.5 dB。",
    },
    "quant.ex.outliers": {"en": "Outliers and one INT8 scale", "zh": "离群值与单一 INT8 缩放因子"},
    "quant.ex.outliers.hint": {
        "en": "Four columns of this matrix are about 50× larger than the rest. With one scale for the whole "
        "tensor they set it, and the other values share a few levels near 0, and 53.1% of the values round to 0: 23.5 dB. Now pick granularity "
        "per channel on axis 1 (one scale per column): 42.3 dB. On axis 0 (rows) it helps less: 31.1 dB.",
        "zh": "这个矩阵有 4 列比其余大约 50 倍。整个张量只用一个缩放因子时，缩放因子由它们决定，其余数值只能挤在 "
        "0 附近的少数几个级别上，53.1% 的数值被舍入为 0：23.5 dB。现在把粒度改为逐通道、轴 1（每列一个缩放因子）：42.3 dB。"
        "沿轴 0（行）帮助较小：31.1 dB。",
    },
    "quant.ex.four_bit": {"en": "4 bits and heavy tails", "zh": "4 位与重尾分布"},
    "quant.ex.four_bit.hint": {
        "en": "Heavy tails (Student-t, 3 degrees of freedom) at 4 bits with one scale: the few largest values "
        "(up to 74) stretch the grid, whose step is 10.6, and 98.7% of the values round to 0: 1.6 dB, 11 of 16 levels used. Now give "
        "every block of values its own scale: int4 per group of 128 (12.8 dB), mxfp4 (17.0 dB), q4_0 (17.8 dB), "
        "nf4 (18.1 dB), nvfp4 (20.8 dB), for 4.25 to 4.5 bits per value.",
        "zh": "重尾分布（自由度为 3 的学生 t 分布）用 4 位和单一缩放因子：少数最大的值（最大到 74）把网格拉宽，步长为 10.6，"
        "98.7% 的数值被舍入为 0：1.6 dB，16 个级别只用了 11 个。现在让每个数值块有自己的缩放因子：int4 逐组 128"
        "（12.8 dB）、mxfp4（17.0 dB）、q4_0（17.8 dB）、nf4（18.1 dB）、nvfp4（20.8 dB），每值 4.25 到 4.5 比特。",
    },
    "quant.ex.nf4_normal": {"en": "NF4 on normal weights", "zh": "NF4 与正态分布权重"},
    "quant.ex.nf4_normal.hint": {
        "en": "NF4's 16 levels sit at quantiles of a normal distribution, denser near 0 where most normal "
        "weights are: 20.7 dB. Compare int4 absmax per group of 64, the same 4.5 bits per value with evenly "
        "spaced levels: 19.4 dB; and float4_e2m1fn with one scale: 17.8 dB.",
        "zh": "NF4 的 16 个级别位于正态分布的分位点上，在大多数正态权重所在的 0 附近更密：20.7 dB。对比 int4 "
        "absmax 逐组 64（同样每值 4.5 比特，级别等距）：19.4 dB；以及单一缩放因子的 float4_e2m1fn：17.8 dB。",
    },
    "quant.we.title": {"en": "Worked example: every step of absmax integer quantization",
                       "zh": "演算示例：absmax 整数量化的每一步"},
    "quant.we.intro": {
        "en": "A classic example, step by step: [-0.5, 0.3, 1.2, -2.1] in INT8. Type your own numbers (up to 16) "
        "to redo it.",
        "zh": "一个经典示例，逐步演算：INT8 量化 [-0.5, 0.3, 1.2, -2.1]。输入自己的数（最多 16 个）"
              "即可重新计算。",
    },
    "quant.we.input": {"en": "Numbers", "zh": "数值"},
    "quant.we.fmt": {"en": "Integer format", "zh": "整数格式"},
    # one block of a block scheme, step by step (lib.block_example)
    "qb.title": {"en": "Worked example: one block of {fmt}, step by step",
                 "zh": "演算示例：{fmt} 的一个块，逐步计算"},
    "qb.intro": {
        "en": "The scale below is worked out again by the scheme's published rule, from the block's own values "
        "(and, for NVFP4, the tensor-wide scale g); the elements, codes and x̂ are the ones quantized above.",
        "zh": "下面的缩放因子按该格式公开的规则重新推算，依据块内数值（NVFP4 还依据整个张量的缩放因子 g）；元素、编码和 x̂ 即上方量化的结果。",
    },
    "qb.index": {"en": "Block (0 to {last})", "zh": "块编号（0 到 {last}）"},
    "qb.largest": {"en": "Go to the block with the largest |x|", "zh": "跳到 |x| 最大的块"},
    "qb.where": {
        "en": "Block {index} of {total}: line {line}, values {start} to {stop} along axis {axis}.",
        "zh": "第 {index} 块（共 {total} 块）：第 {line} 条（沿轴 {axis} 的一维切片），其中第 {start} 到 {stop} 个值。",
    },
    "qb.not_block": {
        "en": "{fmt} is not a block scheme, so it has no block to walk through. Choose mxfp4, nf4, q4_0 or "
        "another block scheme.",
        "zh": "{fmt} 不是块格式，没有可演算的块。请选择 mxfp4、nf4、q4_0 或其他块格式。",
    },
    "qb.bad_index": {
        "en": "There is no block {index}: blocks are numbered 0 to {last}.",
        "zh": "没有第 {index} 块：块的编号为 0 到 {last}。",
    },
    "qb.amax": {"en": "largest magnitude in the block", "zh": "块内最大绝对值"},
    "qb.floor_log2": {"en": "its binary exponent (log2, rounded down)", "zh": "其以 2 为底的指数（向下取整）"},
    "qb.shared_exp": {"en": "shared exponent k (minus the element's largest exponent)",
                      "zh": "共享指数 k（减去元素格式的最大指数）"},
    "qb.scale_code": {"en": "stored scale code", "zh": "存储的缩放因子编码"},
    "qb.scale": {"en": "block scale", "zh": "块缩放因子"},
    "qb.global_scale": {"en": "tensor scale g (FP32, one per tensor)", "zh": "张量缩放因子 g（FP32，每个张量一个）"},
    "qb.ratio": {"en": "block scale before rounding, in units of g", "zh": "舍入前的块缩放因子（以 g 为单位）"},
    "qb.clamp": {"en": "kept within E4M3's range (a zero block uses 1)", "zh": "限制在 E4M3 的范围内（全零块取 1）"},
    "qb.e4m3": {"en": "rounded to FP8 E4M3", "zh": "舍入到 FP8 E4M3"},
    "qb.d": {"en": "scale d (float32, used for the codes)", "zh": "缩放因子 d（float32，用于计算编码）"},
    "qb.signed_max": {"en": "value of largest magnitude, sign kept", "zh": "绝对值最大的数（保留符号）"},
    "qb.reciprocal": {"en": "its reciprocal, rounded to float32", "zh": "其倒数（舍入到 float32）"},
    "qb.dq_absmax": {"en": "absmax as stored in 8 bits (double quantization; μ = mean of the absmaxes)",
                     "zh": "以 8 位存储的 absmax（双重量化；μ 为所有 absmax 的均值）"},
    "qb.f.element": {"en": "{rounding}; ±{max} at most", "zh": "{rounding}；最大 ±{max}"},
    "qb.f.element_cast": {"en": "{rounding}; a value that rounds beyond ±{max} becomes {beyond} (ieee cast)",
                          "zh": "{rounding}；舍入后超出 ±{max} 的值变为 {beyond}（ieee 类型转换）"},
    "qb.f.round_clip": {"en": "{rounding}; clip to ±{max} (code −128 unused, as Microsoft's MX reference); × 2^−6 "
                        "(so ±1.984375 at most)",
                        "zh": "{rounding}；裁剪到 ±{max}（与微软 MX 参考实现一致，不用编码 −128）；再 × 2^−6（最大 ±1.984375）"},
    "qb.f.round_away": {"en": "round, ties away from 0", "zh": "舍入，中点远离零"},
    "qb.f.bits": {"en": "{fmt} bit pattern", "zh": "{fmt} 位模式"},
    "qb.f.nf4_level": {"en": "nearest NF4 level (a tie goes to the lower one)", "zh": "最近的 NF4 级别（中点取较低级别）"},
    "qb.f.nf4_mode": {"en": "NF4 level, {rounding}", "zh": "NF4 级别，{rounding}"},
    "qb.f.level_index": {"en": "index of the level, 0 to 15", "zh": "级别的序号（0 到 15）"},
    "qb.f.level_times": {"en": "level × {scale}", "zh": "级别值 × {scale}"},
    "qb.f.global_scale": {"en": "g = max|tensor| / (6 × 448)", "zh": "g = 整个张量的 max|x| / (6 × 448)"},
    "qb.f.clamp_ratio": {"en": "0 → 1; clamp to [2^−9, 448]", "zh": "0 → 1；限制在 [2^−9, 448] 内"},
    "qb.col.value": {"en": "value", "zh": "数值"},
    "qb.word.element": {"en": "element", "zh": "元素"},  # words inside the walk-through's formulas
    "qb.word.code": {"en": "code", "zh": "编码"},
    "qb.word.scale": {"en": "scale", "zh": "缩放因子"},
    "qb.word.zp": {"en": "zp", "zh": "零点"},
    "qb.col.pos": {"en": "position", "zh": "位置"},
    "qb.col.scaled": {"en": "scaled", "zh": "缩放后"},
    "qb.col.element": {"en": "element", "zh": "元素"},
    "qb.col.code": {"en": "code", "zh": "编码"},
    "qb.col.dequantized": {"en": "x̂", "zh": "x̂"},
    "qb.col.error": {"en": "error", "zh": "误差"},
    "quant.axis_group": {"en": "Axis the groups run along", "zh": "分组所沿的轴"},
    "quant.axis_block": {"en": "Axis the blocks run along", "zh": "分块所沿的轴"},
    "quant.axis_runs": {"en": "axis {axis} ({n:,} values)", "zh": "轴 {axis}（{n:,} 个值）"},
    "quant.axis_runs_note": {"en": "{n} values along axis {axis}: {groups} runs of up to {size}",
                             "zh": "轴 {axis} 上 {n} 个值：{groups} 段，每段至多 {size} 个"},
    "quant.axis_runs_note_one": {"en": "{n} values along axis {axis}: one run (a block holds up to {size})",
                                 "zh": "轴 {axis} 上 {n} 个值：只有一段（一个块最多 {size} 个）"},
    "quant.ref_gguf_axis": {
        "en": "llama.cpp and the gguf package run {fmt} blocks along the last axis (each row), so they would store "
        "this tensor differently.",
        "zh": "llama.cpp 和 gguf 包的 {fmt} 分块沿最后一个轴（每一行）排列，它们存储这个张量的方式与此不同。"},
    "quant.ref_gguf_pad": {
        "en": "The gguf package refuses {fmt} for rows of {n} values (not a multiple of {size}), and llama.cpp "
        "stores such a tensor in another type; here the last block of each row is padded.",
        "zh": "每行 {n} 个值不是 {size} 的倍数：gguf 包拒绝把它存为 {fmt}，llama.cpp 会改用别的类型存储；这里每行最后一个块做了填充。"},
    "quant.ref_nf4_axis": {
        "en": "bitsandbytes blocks the tensor flattened row by row (along the last axis), so its absmaxes and codes "
        "can differ from these.",
        "zh": "bitsandbytes 把张量按行展平后分块（沿最后一个轴），所以它的 absmax 和编码可能与这里不同。"},
    "quant.ref_nf4_cross": {
        "en": "bitsandbytes blocks the tensor flattened row by row, so with {n} values a row its blocks would "
        "cross rows and its absmaxes and codes can differ from these (here the last block of each row is padded).",
        "zh": "bitsandbytes 把张量按行展平后分块；每行 {n} 个值时它的块会跨行，absmax 和编码可能与这里不同（这里每行最后一个块做了填充）。"},
    "quant.axis_runs_note_one_group": {"en": "{n} values along axis {axis}: one run (a group holds up to {size})",
                                       "zh": "轴 {axis} 上 {n} 个值：只有一段（一个分组最多 {size} 个）"},
    "quant.download.codes": {"en": "Codes and scales (.npz)", "zh": "编码与缩放因子（.npz）"},
    "quant.download.codes_help": {
        "en": "A NumPy .npz: codes (x's shape), scale (one per tensor, channel, group or block) and, for "
        "minmax and Q4_0, zero_point. Block schemes add what they store: MX the E8M0 scale_codes, NVFP4 "
        "the E4M3 scale_codes and the FP32 global_scale, NF4 the absmax (and with double quantization "
        "its 8-bit absmax_codes, absmax_scales and absmax_mean). Read it with np.load.",
        "zh": "NumPy .npz 文件：codes（形状与 x 相同）、scale（每个张量、通道、组或块一个），minmax 和 Q4_0 "
        "另有 zero_point。块格式还包含它们实际存储的内容：MX 的 E8M0 scale_codes，NVFP4 的 E4M3 "
        "scale_codes 和 FP32 global_scale，NF4 的 absmax（双重量化时还有 8 位的 absmax_codes、"
        "absmax_scales 和 absmax_mean）。可用 np.load 读取。",
    },
    "quant.download.dequant": {"en": "Dequantized values (.npy)", "zh": "反量化值（.npy）"},
    "quant.download.metrics": {"en": "Metrics (.csv)", "zh": "指标（.csv）"},
    "quant.download.metrics_help": {
        "en": "One row: the choice, every setting, then each metric at full precision. The column names are "
        "lib.quantize's metric names (sqnr_db, mse, ...), the same in both languages, so one script reads "
        "a file downloaded in either.",
        "zh": "一行：方案、全部设置，然后是每个指标的完整精度值。列名是 lib.quantize 的指标名（sqnr_db、mse 等），"
        "两种语言下相同，同一个脚本可以读取任一语言下载的文件。"},
}
