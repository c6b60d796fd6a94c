""""About this format" texts of the Bits page (lib.bits_view.format_about): one key per built-in
format, ``fmt.about.<name>``, saying what the name means, where the format comes from and what sets
it apart; then the pieces of the text for a custom ExMy format.

Every number written here is checked against lib.formats and ml_dtypes by tests/test_format_about.py
(its CLAIMS ledger): a number added to a text needs a matching claim there.
"""

STRINGS: dict[str, dict[str, str]] = {
    # --- built-in formats, in lib.formats.list_formats() order ---
    "fmt.about.float32": {
        "en": "IEEE 754 single precision (binary32): 8 exponent bits (bias 127) and 23 mantissa bits, max ≈ 3.4e38. "
        "The standard full-precision float of machine learning; every other float here is a narrower cousin, with "
        "fewer exponent bits, fewer mantissa bits, or both.",
        "zh": "IEEE 754 单精度浮点数（binary32）：8 个指数位（指数偏置 127）、23 个尾数位，最大值约 3.4e38。"
        "它是机器学习中标准的全精度浮点数；这里的其他浮点格式都是它的“缩小版”：指数位更少、尾数位更少，或两者都少。",
    },
    "fmt.about.tf32": {
        "en": "TensorFloat-32, NVIDIA's Tensor Core math mode (Ampere GPUs and later): float32's 8 exponent bits with "
        "float16's 10 mantissa bits, 19 bits used of a 32-bit word. Not a storage format: float32 inputs of matrix "
        "multiplications are rounded to it inside the Tensor Cores.",
        "zh": "TensorFloat-32，NVIDIA Tensor Core 的一种计算模式（Ampere 及之后的 GPU）：float32 的 8 个指数位加上 "
        "float16 的 10 个尾数位，在 32 位的字中只用 19 位。它不是存储格式：矩阵乘法的 float32 输入在 Tensor Core "
        "内部被舍入成它。",
    },
    "fmt.about.float16": {
        "en": "IEEE 754 half precision (binary16): 5 exponent bits (bias 15) and 10 mantissa bits, max 65504. "
        "Three more mantissa bits than bfloat16 but a far smaller range: an IEEE cast turns 65520 and above into inf.",
        "zh": "IEEE 754 半精度浮点数（binary16）：5 个指数位（指数偏置 15）、10 个尾数位，最大值 65504。"
        "尾数比 bfloat16 多三位，但范围小得多：按 IEEE 类型转换，65520 及以上的数都变成 inf。",
    },
    "fmt.about.bfloat16": {
        "en": "“Brain floating point” from Google Brain: the top 16 bits of a float32, so it keeps float32's 8 "
        "exponent bits (bias 127, max ≈ 3.39e38) but only 7 mantissa bits. Nearly float32's range, with coarse steps: "
        "eps = 2^-7 (float16: 2^-10).",
        "zh": "“Brain floating point”（脑浮点），出自 Google Brain：就是 float32 的高 16 位，保留 float32 的 8 个指数位"
        "（指数偏置 127，最大值约 3.39e38），尾数却只有 7 位。范围几乎与 float32 相同，但间隔很粗：eps = 2^-7"
        "（float16 为 2^-10）。",
    },
    "fmt.about.float8_e4m3fn": {
        "en": "OCP FP8 E4M3, the FP8 E4M3 of NVIDIA's H100 and later GPUs: 4 exponent bits (bias 7), 3 mantissa bits. "
        "“fn”: f = finite (no inf), n = special NaN encoding: only S.1111.111 (0x7F, 0xFF) is NaN, so the top "
        "exponent still holds numbers and max is 448, not 240 as in the IEEE-style float8_e4m3. FP8 training "
        "usually stores weights and activations in it.",
        "zh": "OCP FP8 E4M3，也就是 NVIDIA H100 及之后 GPU 的 FP8 E4M3：4 个指数位（指数偏置 7）、3 个尾数位。"
        "“fn”中 f 表示有限（finite，没有 inf），n 表示 NaN 的编码特殊：只有 S.1111.111（0x7F、0xFF）是 NaN，"
        "所以最高的指数仍表示数值，最大值为 448，而不是 IEEE 式 float8_e4m3 的 240。FP8 训练通常用它存储权重和激活值。",
    },
    "fmt.about.float8_e5m2": {
        "en": "OCP FP8 E5M2: 5 exponent bits (bias 15) and 2 mantissa bits, exactly the top 8 bits of a float16, with "
        "IEEE-style ±inf (0x7C, 0xFC) and NaN, so the name has no suffix. Max 57344: more range but less precision "
        "than E4M3, which is why FP8 training usually keeps gradients in it.",
        "zh": "OCP FP8 E5M2：5 个指数位（指数偏置 15）、2 个尾数位，正好是 float16 的高 8 位；按 IEEE 规则有 ±inf"
        "（0x7C、0xFC）和 NaN，所以名字没有后缀。最大值 57344：范围比 E4M3 大、精度比它低，因此 FP8 训练通常用它存梯度。",
    },
    "fmt.about.float8_e4m3fnuz": {
        "en": "E4M3 with the “fnuz” rules: f = finite (no inf), n = special NaN, uz = unsigned zero (no −0). "
        "The −0 pattern 0x80 is the single NaN, and the bias is 8 instead of 7, so max is 240 (float8_e4m3fn: 448) "
        "and the smallest subnormal is 2^-10. Proposed by Graphcore, AMD and Qualcomm; AMD GPUs use it.",
        "zh": "采用“fnuz”规则的 E4M3：f 表示有限（没有 inf），n 表示 NaN 编码特殊，uz 表示无符号零（没有 −0）。"
        "原来 −0 的编码 0x80 是唯一的 NaN；指数偏置为 8 而不是 7，所以最大值为 240（float8_e4m3fn 为 448），"
        "最小次正规数为 2^-10。由 Graphcore、AMD 和 Qualcomm 提出，AMD 的 GPU 使用这种格式。",
    },
    "fmt.about.float8_e5m2fnuz": {
        "en": "E5M2 with the “fnuz” rules (finite, special NaN, unsigned zero): no inf, no −0, and 0x80 is the single "
        "NaN. The bias is 16 instead of 15 and the all-ones exponent holds numbers again, so max stays 57344 while "
        "the smallest subnormal halves to 2^-17. Same origin as float8_e4m3fnuz.",
        "zh": "采用“fnuz”规则（有限、NaN 编码特殊、无符号零）的 E5M2：没有 inf，没有 −0，0x80 是唯一的 NaN。"
        "指数偏置为 16 而不是 15，且全 1 的指数又用来表示数值，所以最大值仍为 57344，而最小次正规数减半为 2^-17。"
        "来源与 float8_e4m3fnuz 相同。",
    },
    "fmt.about.float8_e4m3": {
        "en": "IEEE-754-style E4M3 (no suffix: IEEE rules): as in float16, the all-ones exponent is kept for ±inf "
        "(0x78, 0xF8) and NaN, so max is only 240. This is not OCP's E4M3, which is float8_e4m3fn (max 448).",
        "zh": "IEEE-754 式的 E4M3（名字没有后缀，表示遵循 IEEE 规则）：和 float16 一样，全 1 的指数留给 ±inf"
        "（0x78、0xF8）和 NaN，所以最大值只有 240。它不是 OCP 的 E4M3，OCP 的 E4M3 是 float8_e4m3fn（最大值 448）。",
    },
    "fmt.about.float8_e3m4": {
        "en": "IEEE-style 8-bit float with 3 exponent bits (bias 3) and 4 mantissa bits, with ±inf and NaN. One "
        "mantissa bit more than E4M3 gives steps twice as fine (eps 2^-4), but max is only 15.5.",
        "zh": "IEEE 式的 8 位浮点数：3 个指数位（指数偏置 3）、4 个尾数位，有 ±inf 和 NaN。尾数比 E4M3 多一位，"
        "间隔细一倍（eps 2^-4），但最大值只有 15.5。",
    },
    "fmt.about.float8_e4m3b11fnuz": {
        "en": "E4M3 with “b11” = exponent bias 11 instead of the IEEE-style 7, plus the fnuz rules (no inf, no −0, "
        "single NaN 0x80). The larger bias shifts the range toward zero: max 30, smallest subnormal 2^-13. "
        "From Google hardware; XLA supports it.",
        "zh": "E4M3 加上“b11”（指数偏置为 11，而不是 IEEE 式的 7），并采用 fnuz 规则（没有 inf，没有 −0，"
        "唯一的 NaN 是 0x80）。更大的偏置把范围移向零：最大值 30，最小次正规数 2^-13。来自 Google 的硬件，"
        "XLA 支持它。",
    },
    "fmt.about.float6_e3m2fn": {
        "en": "OCP Microscaling (MX) FP6 element E3M2: 3 exponent bits (bias 3), 2 mantissa bits, max 28. The name "
        "says “fn” (finite: no inf), but unlike float8_e4m3fn it has no NaN either: every code is a number, −0 "
        "included. MXFP6 stores it in blocks of 32 sharing one E8M0 scale.",
        "zh": "OCP 微缩放（MX）格式的 FP6 元素 E3M2：3 个指数位（指数偏置 3）、2 个尾数位，最大值 28。名字带“fn”"
        "（有限：没有 inf），但与 float8_e4m3fn 不同，它也没有 NaN：每个编码都是数值，包括 −0。MXFP6 每 32 个"
        "一块存储，共用一个 E8M0 缩放因子。",
    },
    "fmt.about.float6_e2m3fn": {
        "en": "OCP MX FP6 element E2M3: 2 exponent bits (bias 1) and 3 mantissa bits, so finer steps than E3M2 "
        "(eps 2^-3) but max only 7.5. “fn” here means finite: no inf and no NaN, every code is a number. Used in "
        "MXFP6 blocks of 32 with an E8M0 scale.",
        "zh": "OCP MX 格式的 FP6 元素 E2M3：2 个指数位（指数偏置 1）、3 个尾数位，所以间隔比 E3M2 细（eps 2^-3），"
        "但最大值只有 7.5。这里的“fn”只表示有限：没有 inf，也没有 NaN，每个编码都是数值。用于 MXFP6，每 32 个"
        "一块，共用一个 E8M0 缩放因子。",
    },
    "fmt.about.float4_e2m1fn": {
        "en": "OCP MX FP4 element E2M1: 2 exponent bits (bias 1) and 1 mantissa bit; its only magnitudes are 0, 0.5, "
        "1, 1.5, 2, 3, 4 and 6. “fn” here means finite: no inf and no NaN. The element of MXFP4 (blocks of 32, E8M0 "
        "scale) and of NVIDIA's NVFP4 (blocks of 16, E4M3 scale).",
        "zh": "OCP MX 格式的 FP4 元素 E2M1：2 个指数位（指数偏置 1）、1 个尾数位；绝对值只有 0、0.5、1、1.5、2、3、4 "
        "和 6。这里的“fn”只表示有限：没有 inf，也没有 NaN。它是 MXFP4（每 32 个一块，E8M0 缩放因子）和 NVIDIA "
        "NVFP4（每 16 个一块，E4M3 缩放因子）的元素格式。",
    },
    "fmt.about.float8_e8m0fnu": {
        "en": "OCP MX scale format E8M0: 8 exponent bits (bias 127) and nothing else, no sign bit and no mantissa. "
        "“fnu” = finite (no inf), special NaN (only 0xFF), unsigned. Every value is a power of two from 2^-127 to "
        "2^127 and there is no zero; in the MX formats one E8M0 scales each block of 32 elements.",
        "zh": "OCP MX 的缩放因子格式 E8M0：只有 8 个指数位（指数偏置 127），没有符号位，也没有尾数。“fnu”表示有限"
        "（没有 inf）、NaN 编码特殊（只有 0xFF）、无符号。每个值都是二的幂，从 2^-127 到 2^127，没有零；在 MX "
        "格式中，每块 32 个元素共用一个 E8M0 缩放因子。",
    },
    "fmt.about.int8": {
        "en": "8-bit two's-complement signed integer: −128 to 127. The classic quantization target: x is divided by a "
        "scale and rounded; symmetric (absmax) scaling maps the largest magnitude to 127.",
        "zh": "8 位二进制补码有符号整数：−128 到 127。最经典的量化目标：x 除以缩放因子后取整；对称（absmax）缩放"
        "把绝对值最大的数映射到 127。",
    },
    "fmt.about.uint8": {
        "en": "8-bit unsigned integer: 0 to 255. Used with a zero point (affine, min–max quantization) for data not "
        "centred on zero, such as activations after a ReLU.",
        "zh": "8 位无符号整数：0 到 255。配合零点使用（仿射、最小–最大值量化），适合不以零为中心的数据，"
        "例如 ReLU 之后的激活值。",
    },
    "fmt.about.int4": {
        "en": "4-bit two's-complement integer: −8 to 7, one more negative value than positive. Common for weight-only "
        "quantization of large language models, two values packed per byte.",
        "zh": "4 位二进制补码整数：−8 到 7，负数比正数多一个。常用于大语言模型的纯权重量化，每个字节装两个值。",
    },
    "fmt.about.uint4": {
        "en": "4-bit unsigned integer: 0 to 15. GGUF's Q4_0 blocks store their codes this way and subtract a fixed "
        "offset to make them signed.",
        "zh": "4 位无符号整数：0 到 15。GGUF 的 Q4_0 块就这样存储编码，再减去一个固定偏移量得到有符号的值。",
    },
    "fmt.about.int2": {
        "en": "2-bit two's-complement integer: only −2, −1, 0 and 1. Four levels, one more below zero than above.",
        "zh": "2 位二进制补码整数：只有 −2、−1、0 和 1。四个级别，零以下比零以上多一个。",
    },
    "fmt.about.uint2": {
        "en": "2-bit unsigned integer: only 0, 1, 2 and 3, four evenly spaced levels.",
        "zh": "2 位无符号整数：只有 0、1、2 和 3，四个等间距的级别。",
    },
    "fmt.about.nf4": {
        "en": "4-bit NormalFloat from QLoRA (bitsandbytes): a code is an index into 16 fixed levels placed at "
        "quantiles of a normal distribution and scaled to −1 … 1, with an exact 0 at code 7. No exponent or mantissa "
        "bits; made for normally distributed weights, used in blocks of 64 with an absmax scale.",
        "zh": "QLoRA（bitsandbytes）提出的 4 位 NormalFloat：编码是 16 个固定级别的索引，这些级别取在正态分布的"
        "分位点上，并缩放到 −1 … 1，编码 7 是精确的 0。没有指数位和尾数位；专为近似正态分布的权重设计，"
        "每 64 个一块，用 absmax 缩放。",
    },
    "fmt.about.bnb_fp4": {
        "en": "bitsandbytes' own 4-bit float (quant_type “fp4”), not OCP E2M1: bit 3 is the sign and the magnitudes "
        "are 0, 0.0625, 2, 3, 4, 6, 8 and 12, divided by 12 so they span −1 … 1. Its smallest nonzero level, "
        "0.0625/12, lies far below E2M1's 0.5/6 at the same scale.",
        "zh": "bitsandbytes 自己的 4 位浮点（quant_type “fp4”），不是 OCP 的 E2M1：第 3 位是符号位，绝对值为 0、"
        "0.0625、2、3、4、6、8 和 12 再除以 12，因此范围是 −1 … 1。它最小的非零级别 0.0625/12 远小于同样缩放后"
        "E2M1 的 0.5/6。",
    },
    # --- a custom ExMy format built on the Bits page (lib.formats.float_format) ---
    "fmt.about.custom": {
        "en": "{name} is the format you built: “float{bits}” = {bits} bits in all, “e{e}m{m}” = 1 sign bit, then "
        "exponent bits: {e}, mantissa bits: {m}; exponent bias {bias}. {rule}",
        "zh": "{name} 是你搭建的格式：“float{bits}”表示共 {bits} 位，“e{e}m{m}”表示 1 个符号位、{e} 个指数位和 "
        "{m} 个尾数位，指数偏置为 {bias}。{rule}",
    },
    "fmt.about.custom_rule_ieee": {
        "en": "No suffix means IEEE rules: the all-ones exponent holds ±inf and NaN, so the largest value is {max}.",
        "zh": "名字没有后缀表示遵循 IEEE 规则：全 1 的指数留给 ±inf 和 NaN，所以最大值为 {max}。",
    },
    "fmt.about.custom_rule_fn": {
        "en": "“fn”: f = finite (no inf), n = special NaN encoding: only the all-ones pattern (with either sign) is "
        "NaN, and every other code is a number; the largest value is {max}.",
        "zh": "“fn”中 f 表示有限（没有 inf），n 表示 NaN 的编码特殊：只有全 1 的编码（符号位任意）是 NaN，"
        "其他编码都是数值；最大值为 {max}。",
    },
    "fmt.about.custom_rule_fnuz": {
        "en": "“fnuz”: f = finite (no inf), n = special NaN, uz = unsigned zero: there is no −0, its pattern {nan} is "
        "the single NaN, and the usual bias is 2^(E−1) instead of 2^(E−1)−1. The largest value is {max}.",
        "zh": "“fnuz”中 f 表示有限（没有 inf），n 表示 NaN 编码特殊，uz 表示无符号零：没有 −0，原来 −0 的编码 "
        "{nan} 是唯一的 NaN，通常的指数偏置取 2^(E−1) 而不是 2^(E−1)−1。最大值为 {max}。",
    },
    "fmt.about.custom_rule_none": {
        "en": "“_finite” is this app's suffix for no special values at all: no inf, no NaN, every code is a number "
        "(the largest is {max}). The OCP MX types float6_e3m2fn, float6_e2m3fn and float4_e2m1fn work this way, "
        "although ml_dtypes names them “fn”.",
        "zh": "“_finite”是本应用的后缀，表示完全没有特殊值：没有 inf，也没有 NaN，每个编码都是数值（最大值为 {max}）。"
        "OCP MX 的 float6_e3m2fn、float6_e2m3fn 和 float4_e2m1fn 就是这样，尽管 ml_dtypes 给它们的名字带“fn”。",
    },
    "fmt.about.custom_bias": {
        "en": "“_b{bias}”: exponent bias {bias} instead of the usual {usual}.",
        "zh": "“_b{bias}”表示指数偏置为 {bias}，而不是通常的 {usual}。",
    },
    "fmt.about.custom_builtin": {
        "en": "E{e} M{m} with special values “{rule}”{bias} is the built-in {name}. {about}",
        "zh": "E{e} M{m} 加特殊值规则“{rule}”{bias}就是内置的 {name}。{about}",
    },
    "fmt.about.custom_builtin_bias": {
        "en": " and exponent bias {bias}",
        "zh": "、指数偏置 {bias} ",
    },
    "fmt.about.unknown": {
        "en": "{name}: a {bits}-bit format; its card lists its range and special values.",
        "zh": "{name}：一种 {bits} 位的格式；格式卡片列出了它的范围和特殊值。",
    },
}
