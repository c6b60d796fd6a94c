"""Strings for lib.formats: errors a user can cause by choosing or building a number format."""

STRINGS: dict[str, dict[str, str]] = {
    "formats.unknown": {
        "en": "Unknown number format '{name}'. Choose one of: {known}.",
        "zh": "未知的数字格式“{name}”。请从以下格式中选择：{known}。",
    },
    "formats.exponent_bits": {
        "en": "A float format needs at least 1 exponent bit (got {exponent_bits}); "
        "for a format without exponent use an integer format such as int8.",
        "zh": "浮点格式至少需要 1 个指数位（当前为 {exponent_bits}）；"
        "不需要指数的话，请使用整数格式，例如 int8。",
    },
    "formats.mantissa_bits": {
        "en": "The number of mantissa bits cannot be negative (got {mantissa_bits}). Use 0 or more.",
        "zh": "尾数位数不能为负（当前为 {mantissa_bits}）。请使用 0 或更大的值。",
    },
    "formats.too_many_bits": {
        "en": "A custom float format may use at most {limit} bits in total; 1 sign + {exponent_bits} "
        "exponent + {mantissa_bits} mantissa bits is {bits}. Use fewer exponent or mantissa bits.",
        "zh": "自定义浮点格式最多使用 {limit} 位；1 个符号位 + {exponent_bits} 个指数位 + "
        "{mantissa_bits} 个尾数位共 {bits} 位。请减少指数位或尾数位。",
    },
    "formats.bad_specials": {
        "en": "Unknown special-value rule '{specials}'. Choose one of: {known}.",
        "zh": "未知的特殊值规则“{specials}”。请从以下选项中选择：{known}。",
    },
    "formats.no_room_for_specials": {
        "en": "With {exponent_bits} exponent and {mantissa_bits} mantissa bits the '{specials}' rule does not "
        "fit: IEEE-style Inf and NaN need at least 2 exponent bits (so that normal numbers remain) and 1 mantissa "
        "bit (to tell NaN from Inf); 'fn' with no mantissa bit needs 2 exponent bits. "
        "Add bits or choose specials 'fnuz' or 'none'.",
        "zh": "使用 {exponent_bits} 个指数位和 {mantissa_bits} 个尾数位时，“{specials}”规则无法成立："
        "IEEE 式的 Inf/NaN 至少需要 2 个指数位（才能保留正规数）和 1 个尾数位（才能区分 NaN 与 Inf）；"
        "没有尾数位的“fn”需要 2 个指数位。请增加位数，或选择特殊值规则“fnuz”或“none”。",
    },
    "formats.out_of_float64": {
        "en": "With {exponent_bits} exponent bits and bias {bias}, this format's range goes beyond what "
        "float64 can hold (about 1.8e308 down to 4.9e-324), so its values cannot be shown exactly. "
        "Use at most 11 exponent bits with a bias near 2^(E-1)-1 (with 11 bits and specials other than 'ieee', "
        "bias 1024).",
        "zh": "使用 {exponent_bits} 个指数位、偏置 {bias} 时，该格式的范围超出了 float64 能表示的范围"
        "（约 1.8e308 到 4.9e-324），无法精确显示其数值。请最多使用 11 个指数位，并使用接近 2^(E-1)-1 的偏置（11 个指数位且特殊值规则不是“ieee”时，偏置设为 1024）。",
    },
    "formats.bad_bias": {
        "en": "The exponent bias must be a whole number (got {bias}). Leave it empty for the usual "
        "bias: 2^(E-1)-1, or 2^(E-1) for 'fnuz' formats.",
        "zh": "指数偏置必须是整数（当前为 {bias}）。留空则使用常见偏置：2^(E-1)-1；“fnuz”格式为 2^(E-1)。",
    },
    "formats.bad_overflow": {
        "en": "Unknown overflow mode '{mode}'. Choose one of: {known}.",
        "zh": "未知的溢出处理方式“{mode}”。请从以下选项中选择：{known}。",
    },
    "formats.bad_rounding": {
        "en": "Unknown rounding mode '{mode}'. Choose one of: {known}.",
        "zh": "未知的舍入方式“{mode}”。请从以下选项中选择：{known}。",
    },
    "formats.bad_code": {
        "en": "Code {code} does not exist in {name}, whose codes run from 0 to {largest}. "
        "Enter a code in that range.",
        "zh": "编码 {code} 在 {name} 中不存在，该格式的编码范围为 0 到 {largest}。请输入此范围内的编码。",
    },
    "formats.bad_bits": {
        "en": "'{text}' is not a {bits}-bit pattern for {name}. Type exactly {bits} digits 0 or 1 "
        "(spaces and underscores are ignored).",
        "zh": "“{text}”不是 {name} 的 {bits} 位位模式。请输入恰好 {bits} 个 0 或 1（空格和下划线会被忽略）"
              "。",
    },
    "formats.bad_scale": {
        "en": "The scale must be a positive, finite number (got {scale}). Compute it from the data, "
        "e.g. max|x| / max of the format.",
        "zh": "缩放因子必须是有限的正数（当前为 {scale}）。请根据数据计算，例如 max|x| / 格式的最大值。",
    },
    "formats.too_many_values": {
        "en": "{name} has {count} codes, too many to list every value. Choose a format of 20 bits or fewer.",
        "zh": "{name} 共有 {count} 个编码，无法逐一列出所有值。请选择 20 位或更少的格式。",
    },
}
