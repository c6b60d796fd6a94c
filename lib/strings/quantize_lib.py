"""Error messages raised by lib.quantize, lib.scales, lib.blocks and lib.metrics (keys "qlib.*")."""

STRINGS: dict[str, dict[str, str]] = {
    "qlib.empty": {
        "en": "The tensor is empty (shape {shape}), so there is nothing to quantize. "
        "Load or paste an array with at least one value.",
        "zh": "张量为空（形状 {shape}），没有可量化的内容。请加载或粘贴至少包含一个数值的数组。",
    },
    "qlib.not_numeric": {
        "en": "Values of type {dtype} cannot be quantized. Use real numbers (integers or floats).",
        "zh": "类型为 {dtype} 的数值无法量化。请使用实数（整数或浮点数）。",
    },
    "qlib.unknown_fmt": {
        "en": "Unknown format or block scheme '{name}'. Choose one of: {options}.",
        "zh": "未知的格式或块格式“{name}”。请从以下选项中选择：{options}。",
    },
    "qlib.unknown_method": {
        "en": "Unknown scale method '{name}'. Choose one of: {options}.",
        "zh": "未知的缩放方法“{name}”。请从以下选项中选择：{options}。",
    },
    "qlib.unknown_granularity": {
        "en": "Unknown granularity '{name}'. Choose one of: {options}.",
        "zh": "未知的粒度“{name}”。请从以下选项中选择：{options}。",
    },
    "qlib.unknown_overflow": {
        "en": "Unknown overflow mode '{name}'. Choose one of: {options}.",
        "zh": "未知的溢出处理方式“{name}”。请从以下选项中选择：{options}。",
    },
    "qlib.unknown_rounding": {
        "en": "Unknown rounding mode '{name}'. Choose one of: {options}.",
        "zh": "未知的舍入方式“{name}”。请从以下选项中选择：{options}。",
    },
    "qlib.axis_out_of_range": {
        "en": "Axis {axis} does not exist for a tensor with {ndim} dimension(s) (shape {shape}). "
        "Choose an axis from {low} to {high}.",
        "zh": "对于 {ndim} 维张量（形状 {shape}），轴 {axis} 不存在。请选择 {low} 到 {high} 之间的轴。",
    },
    "qlib.bad_block_size": {
        "en": "Group size {block_size} is not valid. Use a whole number of at least 1 (for example 32, 64 or 128).",
        "zh": "分组大小 {block_size} 无效。请使用不小于 1 的整数（例如 32、64 或 128）。",
    },
    "qlib.block_size_needed": {
        "en": "Group granularity needs a group size. Set block_size (for example 128).",
        "zh": "逐组量化需要指定分组大小。请设置 block_size（例如 128）。",
    },
    "qlib.bad_percentile": {
        "en": "Percentile {percentile} is outside (0, 100]. Use a value such as 99.9.",
        "zh": "百分位数 {percentile} 不在 (0, 100] 范围内。请使用例如 99.9 的值。",
    },
    "qlib.minmax_needs_int": {
        "en": "The min-max (affine) method needs an integer format, but {fmt} is not one. "
        "Choose an integer format such as int8, or use absmax.",
        "zh": "min-max（仿射）方法需要整数格式，而 {fmt} 不是整数格式。请选择 int8 等整数格式，或改用 absmax。",
    },
    "qlib.scheme_fixes_scale": {
        "en": "The block scheme {fmt} sets its own scales, so method '{method}' cannot be used with it. "
        "Use method 'absmax' (which here means the scheme's own rule), or pick a plain format to compare methods.",
        "zh": "块格式 {fmt} 自带缩放规则，因此不能使用方法“{method}”。请使用 absmax（此处即该块格式自身的规则）"
              "，或选择普通格式来比较不同方法。",
    },
    "qlib.scale_format_kind": {
        "en": "The format {fmt} is meant for scales only and has no zero or negative values, so it cannot "
        "hold tensor elements. Choose an element format such as float8_e4m3fn or int8.",
        "zh": "格式 {fmt} 仅用于缩放因子，不含零或负数，无法存放张量元素。请选择 float8_e4m3fn 或 int8 等元素格式。",
    },
}
