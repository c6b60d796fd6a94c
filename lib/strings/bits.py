"""Strings of the Bits page (位级布局) and of lib/numparse.py, lib/binary_walk.py, lib/bits_view.py."""

STRINGS: dict[str, dict[str, str]] = {
    # --- lib/numparse.py errors ---
    "bits.parse.empty": {
        "en": "The box is empty. Type a number such as 0.1, -2.5e-3, 1/3, 2^-10 or pi.",
        "zh": "输入框为空。请输入一个数，例如 0.1、-2.5e-3、1/3、2^-10 或 pi。",
    },
    "bits.parse.not_a_number": {
        "en": "“{text}” is not a number we can read. Use digits with an optional decimal point and "
        "exponent (0.1, -2.5e-3), a fraction (1/3), a power (2^-10), a product (3*2^-4), pi, e, inf or nan.",
        "zh": "无法把“{text}”识别为数字。请使用数字（可带小数点和指数，如 0.1、-2.5e-3）、分数（1/3）、"
        "幂（2^-10）、乘积（3*2^-4），或 pi、e、inf、nan。",
    },
    "bits.parse.looks_like_code": {
        "en": "“{text}” looks like a code, not a number. To read it as the bits of this format, switch Input "
        "to “Code (hex / binary)”.",
        "zh": "“{text}”看起来是一个编码，而不是数字。要把它当作该格式的各个位来读，请把“输入方式”切换为"
        "“编码（十六进制 / 二进制）”。",
    },
    "bits.parse.digit_space": {
        "en": "“{text}” has a space between digits. Type one number; spaces may only group digits in "
        "threes, as in 1 000 000.",
        "zh": "“{text}”的数字之间有空格。请只输入一个数；空格只能把数字三位一组分开，如 1 000 000。",
    },
    "bits.parse.digit_space_in": {
        "en": "“{text}” has a space between digits ({part}). Type one number; spaces may only group "
        "digits in threes, as in 1 000 000.",
        "zh": "“{text}”的数字之间有空格（{part}）。请只输入一个数；空格只能把数字三位一组分开，如 1 000 000。",
    },
    "bits.parse.decimal_comma": {
        "en": "“{text}” has a comma. Write the decimal point as a dot: {dot}. (To group thousands, leave the "
        "comma out or use _, as in 1_000.)",
        "zh": "“{text}”中有逗号。小数点请用英文句点：{dot}。（千位分组请省略逗号，或用 _，如 1_000。）",
    },
    "bits.parse.too_large": {
        "en": "“{text}” is larger than the largest float64 (about 1.798e308), so even float64 would store it "
        "as infinity (Python's float(\"1e999\") silently gives inf). Type a smaller number, or type inf.",
        "zh": "“{text}”超过了 float64 的最大值（约 1.798e308），连 float64 都只能把它存成无穷大"
        "（Python 的 float(\"1e999\") 会悄悄返回 inf）。请输入更小的数，或直接输入 inf。",
    },
    "bits.parse.too_small": {
        "en": "“{text}” is so close to zero that even float64 (smallest step about 4.9e-324) stores it as 0. "
        "Type a number of at least about 2.5e-324 in size (half that step), or type 0.",
        "zh": "“{text}”太接近零，连 float64（最小间隔约 4.9e-324）也只能存成 0。请输入绝对值不小于约 2.5e-324（该间隔的一半）的数，或直接输入 0。",
    },
    "bits.bit_aria": {"en": "{bit}: {help}", "zh": "{bit}：{help}"},
    "bits.parse.product_too_costly": {
        "en": "“{text}” multiplies or divides numbers with too many exact digits to work out. Type its value "
        "as a decimal, or use smaller exponents.",
        "zh": "“{text}”相乘或相除的数精确位数太多，无法算出。请直接输入它的十进制值，或使用更小的指数。",
    },
    "bits.parse.power_too_costly": {
        "en": "“{text}” is a power with too many exact digits to work out (its exponent times the digits of its "
        "base is too large). Type its value as a decimal, or use a smaller exponent.",
        "zh": "“{text}”这个乘方的精确值位数太多，无法算出（指数乘以底数的位数过大）。请直接输入它的十进制值，或使用更小的指数。",
    },
    "bits.parse.division_by_zero": {
        "en": "“{text}” divides by zero. Change the divisor to a non-zero number.",
        "zh": "“{text}”中除数为零。请把除数改为非零的数。",
    },
    "bits.parse.bad_exponent": {
        "en": "In “{text}” the power needs a whole-number exponent, as in 2^-10 or 2**3.",
        "zh": "“{text}”中的幂指数必须是整数，例如 2^-10 或 2**3。",
    },
    "bits.parse.too_long": {
        "en": "The text is longer than {limit} characters. Type a shorter number.",
        "zh": "输入超过 {limit} 个字符。请输入更短的数。",
    },
    "bits.parse.code_empty": {
        "en": "The box is empty. Type a code such as 0x3C (hex) or 0b0011_1100 (binary).",
        "zh": "输入框为空。请输入一个编码，例如 0x3C（十六进制）或 0b0011_1100（二进制）。",
    },
    "bits.parse.code_prefix": {
        "en": "“{text}” is not a code: start it with 0x for hex (0x3C) or 0b for binary (0b0011_1100).",
        "zh": "“{text}”不是编码：十六进制请以 0x 开头（如 0x3C），二进制请以 0b 开头（如 0b0011_1100）。",
    },
    "bits.parse.code_digits": {
        "en": "“{text}” has a digit that does not belong: hex uses 0–9 and A–F after 0x, binary uses 0 and 1 "
        "after 0b.",
        "zh": "“{text}”含有无效数字：0x 之后只能用 0–9 和 A–F，0b 之后只能用 0 和 1。",
    },
    "bits.parse.code_no_digits": {
        "en": "“{text}” has no digits after its prefix: type the code itself, e.g. 0x3C or 0b0011_1100.",
        "zh": "“{text}”的前缀之后没有数字：请输入编码本身，例如 0x3C 或 0b0011_1100。",
    },
    "bits.parse.code_too_long": {
        "en": "“{text}” needs {needed} bits, but this format has only {bits}. Type a code up to {max_code} "
        "(hex digits: at most {hex_digits}; binary digits: at most {bits}), or choose a wider format.",
        "zh": "“{text}”需要 {needed} 位，而该格式只有 {bits} 位。请最多输入 {hex_digits} 个十六进制数字"
        "（不超过 {max_code}）或 {bits} 个二进制数字，或选择更宽的格式。",
    },
    # --- page ---
    "bits.title": {"en": "Bits: how a format stores one number", "zh": "位级布局：数如何按位存储"},
    "bits.intro": {
        "en": "Type a number (or a code), pick a format, and see its sign, exponent and mantissa bits, the value "
        "actually stored and the rounding error. Click any bit to flip it.",
        "zh": "输入一个数（或编码），选择格式，即可看到符号位、指数位和尾数位，以及实际存储的值和舍入误差。点击任意一位即可翻转它。",
    },
    "bits.mode": {"en": "Input", "zh": "输入方式"},
    "bits.mode_decimal": {"en": "Number", "zh": "数字"},
    "bits.mode_code": {"en": "Code (hex / binary)", "zh": "编码（十六进制 / 二进制）"},
    "bits.number": {"en": "Number", "zh": "数字"},
    "bits.number_help": {
        "en": "Examples: 0.1, -2.5e-3, 1/3, 2^-10, 3*2^-4, pi, e, inf, -inf, nan",
        "zh": "示例：0.1、-2.5e-3、1/3、2^-10、3*2^-4、pi、e、inf、-inf、nan",
    },
    "bits.code": {"en": "Code", "zh": "编码"},
    "bits.code_help": {"en": "0x… for hex (0x3C), 0b… for binary (0b0011_1100)",
                       "zh": "十六进制用 0x…（如 0x3C），二进制用 0b…（如 0b0011_1100）"},
    "bits.format": {"en": "Format", "zh": "格式"},
    "bits.custom": {"en": "custom (choose E and M)", "zh": "自定义（选择 E 和 M）"},
    "bits.custom_exp": {"en": "Exponent bits E", "zh": "指数位数 E"},
    "bits.custom_man": {"en": "Mantissa bits M", "zh": "尾数位数 M"},
    "bits.custom_specials": {"en": "Special values", "zh": "特殊值"},
    "bits.specials_ieee": {"en": "ieee: inf and NaN (exponent all ones)", "zh": "ieee：有 inf 和 NaN（指数全 1）"},
    "bits.specials_fn": {"en": "fn: NaN only (like float8_e4m3fn), no inf", "zh": "fn：只有 NaN（同 float8_e4m3fn），无 inf"},
    "bits.specials_fnuz": {"en": "fnuz: one NaN (sign bit 1, all other bits 0: 0x80 in 8 bits), no inf, no -0",
                           "zh": "fnuz：唯一 NaN 为符号位 1、其余全 0（8 位时为 0x80），无 inf，无 -0"},
    "bits.specials_none": {"en": "none: every code is a finite number", "zh": "none：所有编码都是有限数"},
    "bits.overflow": {"en": "Overflow", "zh": "溢出处理"},
    "bits.overflow_saturate": {"en": "saturate", "zh": "饱和"},
    "bits.overflow_ieee": {"en": "ieee (cast)", "zh": "IEEE 转换"},
    "bits.overflow_help_saturate": {
        "en": "saturate: a number beyond the largest finite value is stored as ±max (what quantization kernels do); "
        "±inf too, except in the fnuz formats, where inf becomes their NaN (as AMD's saturating casts do).",
        "zh": "饱和：超出最大有限值的数存为 ±max（量化内核的做法）；±inf 也一样，"
        "但 fnuz 格式中 inf 变为其 NaN（与 AMD 的饱和转换一致）。",
    },
    "bits.overflow_help_unsigned": {
        "en": "{name} has no zero and no sign: 0 and negative numbers become its lowest value {lowest} "
        "(NaN in ieee mode).",
        "zh": "{name} 没有零也没有符号：0 和负数变为其最小值 {lowest}（ieee 模式下为 NaN）。",
    },
    "bits.overflow_help_ieee": {
        "en": "ieee: for floats, what ml_dtypes' astype does — inf where the format has it (E5M2; float8_e4m3 from 248), "
        "NaN where it has NaN but no inf (float8_e4m3fn: above 464; fnuz, E8M0), ±max in FP6/FP4, which have neither. "
        "Integer and NF4 formats clip to their range (a raw astype to an integer type would wrap around). "
        "With nearest-even rounding it also rounds in two steps, as ml_dtypes does: to float32 first (a typed "
        "number from its exact value), then to the format. So a number within float32's half step of a tie counts "
        "as the tie, and one up to 2^-150 (about 7.006e-46) is 0 (E8M0, which has no zero: NaN).",
        "zh": "ieee：浮点格式与 ml_dtypes 的 astype 一致——格式有 inf 时得 inf（E5M2；float8_e4m3 从 248 起），"
        "只有 NaN 没有 inf 时得 NaN（float8_e4m3fn：大于 464；fnuz、E8M0），两者都没有的 FP6/FP4 得 ±max。"
        "整数和 NF4 格式裁剪到其范围内（直接 astype 成整数类型会回绕）。"
        "就近舍入（中点取偶）时也与 ml_dtypes 一样分两步舍入：先舍入为 float32（输入的数按其精确值），再舍入到该格式。"
        "因此与中点相差不到 float32 半个间距的数按中点处理，不超过 2^-150（约 7.006e-46）的数变为 0"
        "（E8M0 没有零：得 NaN）。",
    },
    "bits.rounding": {"en": "Rounding", "zh": "舍入方式"},
    "bits.rounding_nearest_even": {"en": "nearest, ties to even", "zh": "就近舍入，中点取偶"},
    "bits.rounding_nearest_away": {"en": "nearest, ties away from zero", "zh": "就近舍入，中点远离零"},
    "bits.rounding_toward_zero": {"en": "toward zero (truncate)", "zh": "向零舍入（截断）"},
    "bits.rounding_stochastic": {"en": "stochastic (seeded)", "zh": "随机舍入（固定种子）"},
    "bits.rounding_help_nearest_even": {
        "en": "Nearest value; an exact tie goes to the even neighbour, whose last bit is 0 (IEEE default). "
        "NF4 and bnb_fp4 follow bitsandbytes' thresholds instead (NF4: the lower level); E8M0 rounds ties up, as ml_dtypes.",
        "zh": "取最近的值；恰好在正中间时取末位为 0 的偶数邻值（IEEE 默认）。"
        "NF4 和 bnb_fp4 则按 bitsandbytes 的阈值（NF4：取较低级别）；E8M0 的中点向上舍入，同 ml_dtypes。",
    },
    "bits.rounding_help_nearest_away": {
        "en": "Nearest value; an exact tie goes away from zero (school rounding; GGUF Q8_0's rule. Q4_0 instead rounds "
        "ties of x/d + 8 up, and its d has the opposite sign to the block's largest value).",
        "zh": "取最近的值；恰好在正中间时取远离零的值（即四舍五入；GGUF Q8_0 的规则。Q4_0 则把 x/d + 8 的中点向上舍入，且其 d 与块内绝对值最大的数符号相反）。",
    },
    "bits.rounding_help_toward_zero": {
        "en": "Drop the extra bits: always the neighbour closer to zero.",
        "zh": "直接丢弃多余的位：总是取更靠近零的相邻值。",
    },
    "bits.rounding_help_stochastic": {
        "en": "Round up with probability equal to the distance to the lower neighbour over the gap (seed 0).",
        "zh": "以“到下方相邻值的距离 / 间隔”为概率向上舍入（种子为 0）。",
    },
    "bits.cells_title": {"en": "The bits (click one to flip it)", "zh": "各个位（点击可翻转）"},
    "bits.role_sign": {"en": "sign", "zh": "符号"},
    "bits.role_exponent": {"en": "exponent", "zh": "指数"},
    "bits.role_mantissa": {"en": "mantissa", "zh": "尾数"},
    "bits.role_integer": {"en": "value bits (two's complement)", "zh": "数值位（补码）"},
    "bits.role_unsigned": {"en": "value bits (unsigned binary)", "zh": "数值位（无符号二进制）"},
    "bits.role_index": {"en": "table index", "zh": "表索引"},
    # --- hover text of each bit button (lib/bits_view.py bit_help) ---
    "bits.help_sign": {"en": "Bit {bit}: sign (1 = negative). Click to flip.",
                       "zh": "第 {bit} 位：符号位（1 表示负数）。点击可翻转。"},
    "bits.help_sign_fnuz": {
        "en": "Bit {bit}: sign (1 = negative; 1 with every other bit 0 is the only NaN code, {nan}). Click to flip.",
        "zh": "第 {bit} 位：符号位（1 表示负数；符号位为 1 且其余各位全为 0 是唯一的 NaN 编码 {nan}）。点击可翻转。",
    },
    "bits.help_exponent": {
        "en": "Bit {bit}: exponent, weight {weight} in the stored exponent E (normal values scale by {scale}). "
              "Click to flip.",
        "zh": "第 {bit} 位：指数位，在存储的指数 E 中权重为 {weight}（正规数的值按 {scale} 缩放）。点击可翻转。",
    },
    "bits.help_exponent_only": {
        "en": "Bit {bit}: exponent, weight {weight} in the stored exponent E (the value is {scale}; "
              "E = {nan_field} is NaN). Click to flip.",
        "zh": "第 {bit} 位：指数位，在存储的指数 E 中权重为 {weight}（值为 {scale}；E = {nan_field} 为 NaN）。点击可翻转。",
    },
    "bits.help_mantissa": {"en": "Bit {bit}: mantissa, weight {weight} of the significand. Click to flip.",
                           "zh": "第 {bit} 位：尾数位，在有效数中的权重为 {weight}。点击可翻转。"},
    "bits.help_int_sign": {"en": "Bit {bit}: sign, weight {weight} (two's complement). Click to flip.",
                           "zh": "第 {bit} 位：符号位，权重为 {weight}（补码）。点击可翻转。"},
    "bits.help_value": {"en": "Bit {bit}: value bit, weight {weight}. Click to flip.",
                        "zh": "第 {bit} 位：数值位，权重为 {weight}。点击可翻转。"},
    "bits.help_index": {
        "en": "Bit {bit}: index bit, weight {weight} in the code (the code picks one of the {count} values in "
              "{name}'s table). Click to flip.",
        "zh": "第 {bit} 位：索引位，在编码中权重为 {weight}（编码从 {name} 表中的 {count} 个值里选出一个）。点击可翻转。",
    },
    "bits.help_index_sign": {
        "en": "Bit {bit}: sign (1 = negative) and index bit, weight {weight} in the code (the code picks one of "
              "the {count} values in {name}'s table). Click to flip.",
        "zh": "第 {bit} 位：符号位（1 表示负数），也是索引位，在编码中权重为 {weight}（编码从 {name} 表中的 "
              "{count} 个值里选出一个）。点击可翻转。",
    },
    # --- the line after a bit flip (lib/bits_view.py flip_text) ---
    "bits.flip_code": {"en": "{code} ({value})", "zh": "{code}（{value}）"},
    "bits.flip_ratio": {"en": "Flipped bit {bit}: {old} → {new}, × {factor}.",
                        "zh": "翻转第 {bit} 位：{old}→ {new}，× {factor}。"},
    "bits.flip_delta": {"en": "Flipped bit {bit}: {old} → {new}, a change of {delta}.",
                        "zh": "翻转第 {bit} 位：{old}→ {new}，变化 {delta}。"},
    "bits.flip_sign": {"en": "Flipped bit {bit}: sign flipped, {old} → {new}.",
                       "zh": "翻转第 {bit} 位：符号翻转，{old}→ {new}。"},
    "bits.flip_to_nan": {"en": "Flipped bit {bit}: {old} → {new}: the new code is NaN (not a number).",
                         "zh": "翻转第 {bit} 位：{old}→ {new}：新编码是 NaN（非数）。"},
    "bits.flip_from_nan": {"en": "Flipped bit {bit}: {old} → {new}: the old code was NaN (not a number).",
                           "zh": "翻转第 {bit} 位：{old}→ {new}：原编码是 NaN（非数）。"},
    "bits.flip_nan_nan": {"en": "Flipped bit {bit}: {old} → {new}: still NaN, another NaN code.",
                          "zh": "翻转第 {bit} 位：{old}→ {new}：仍是 NaN，只是换了一个 NaN 编码。"},
    "bits.flip_to_inf": {"en": "Flipped bit {bit}: {old} → {new}: the new code is infinity.",
                         "zh": "翻转第 {bit} 位：{old}→ {new}：新编码是无穷大。"},
    "bits.flip_from_inf": {"en": "Flipped bit {bit}: {old} → {new}: the old code was infinity.",
                           "zh": "翻转第 {bit} 位：{old}→ {new}：原编码是无穷大。"},
    "bits.flip_table": {"en": "Flipped bit {bit}: {old} → {new}: the code now picks another value from the table.",
                        "zh": "翻转第 {bit} 位：{old}→ {new}：编码从表中选出了另一个值。"},
    "bits.formula": {"en": "Formula with the numbers filled in", "zh": "代入数值的公式"},
    "bits.stored": {"en": "Stored value", "zh": "存储值"},
    "bits.exact_decimal": {"en": "Exactly", "zh": "精确值"},
    "bits.typed": {"en": "Typed number", "zh": "输入的数"},
    "bits.abs_error": {"en": "Absolute error", "zh": "绝对误差"},
    "bits.rel_error": {"en": "Relative error", "zh": "相对误差"},
    "bits.error_code_help": {"en": "A code is its own value: no number was rounded to it, so there is no error to show. "
                             "Type a number to see its rounding error.",
                             "zh": "编码本身就是它的值：它不是由某个数舍入而来，因此没有误差可显示。输入一个数即可看到其舍入误差。"},
    "bits.exact_help": {"en": "Exactly {value} (the box rounds to 7 significant digits).",
                        "zh": "精确值：{value}（框中显示的值已舍入到 7 位有效数字）。"},
    "bits.class": {"en": "Class", "zh": "类别"},
    "bits.code_label": {"en": "Code", "zh": "编码"},
    "bits.below": {"en": "Neighbour below", "zh": "下方相邻值"},
    "bits.above": {"en": "Neighbour above", "zh": "上方相邻值"},
    "bits.ulp": {"en": "ULP (gap to the next value away from zero)", "zh": "ULP（到远离零方向下一个值的间隔）"},
    "bits.ulp_below": {"en": "ULP (end of the range: gap to the value nearer zero)",
                       "zh": "ULP（范围端点：到靠近零方向相邻值的间隔）"},
    "bits.class_normal": {"en": "normal", "zh": "正规数"},
    "bits.class_subnormal": {"en": "subnormal", "zh": "次正规数"},
    "bits.class_zero": {"en": "zero", "zh": "零"},
    "bits.class_inf": {"en": "infinity", "zh": "无穷大"},
    "bits.class_nan": {"en": "NaN", "zh": "NaN（非数）"},
    "bits.class_integer": {"en": "integer", "zh": "整数"},
    "bits.class_table": {"en": "table value", "zh": "查表取值"},
    "bits.class_power_of_two": {"en": "power of two", "zh": "2 的幂"},
    "bits.about": {"en": "About this format", "zh": "关于此格式"},
    "bits.card_title": {"en": "Format card", "zh": "格式卡片"},
    "bits.card_none": {"en": "none", "zh": "无"},
    "bits.card_bits": {"en": "bits", "zh": "总位数"},
    "bits.card_bits_stored": {"en": "{bits} used, stored in {storage} (a math mode, not a storage format)",
                              "zh": "使用 {bits} 位，以 {storage} 位存储（计算模式，不是存储格式）"},
    "bits.card_layout": {"en": "sign / exponent / mantissa bits", "zh": "符号 / 指数 / 尾数位数"},
    "bits.card_bias": {"en": "exponent bias", "zh": "指数偏置"},
    "bits.card_max": {"en": "largest finite value", "zh": "最大有限值"},
    "bits.card_min": {"en": "most negative value", "zh": "最小（最负）值"},
    "bits.card_min_unsigned": {"en": "lowest value", "zh": "最小值"},
    "bits.card_smallest_normal": {"en": "smallest normal", "zh": "最小正规数"},
    "bits.card_smallest_power": {"en": "smallest power of two", "zh": "最小的 2 的幂"},
    "bits.card_smallest_subnormal": {"en": "smallest subnormal", "zh": "最小次正规数"},
    "bits.card_eps": {"en": "eps (gap after 1)", "zh": "eps（1 之后的间隔）"},
    "bits.card_inf": {"en": "+inf code", "zh": "+inf 编码"},
    "bits.note_overflow": {
        "en": "{x} lies beyond {name}'s range ({lo} to {hi}), so it is stored as {value}: the error is the part "
              "beyond the range.",
        "zh": "{x} 超出了 {name} 的范围（{lo} 到 {hi}），因此存储为 {value}：误差就是超出范围的那部分。",
    },
    "bits.note_overflow_inf": {
        "en": "{x} lies beyond {name}'s range ({lo} to {hi}): as an IEEE cast, it becomes {value}.",
        "zh": "{x} 超出了 {name} 的范围（{lo} 到 {hi}）：按 IEEE 类型转换，它变为 {value}。",
    },
    "bits.note_no_nan": {
        "en": "{name} has no NaN code, so NaN is stored as {value}.",
        "zh": "{name} 没有 NaN 编码，因此 NaN 存为 {value}。",
    },
    "bits.note_no_nan_neg_zero": {
        "en": "{name} has no NaN code: as a cast (ml_dtypes), NaN becomes {value}, a zero of the opposite sign.",
        "zh": "{name} 没有 NaN 编码：按类型转换（ml_dtypes），NaN 变为 {value}，即符号相反的零。",
    },
    "bits.note_overflow_nan": {
        "en": "{x} lies beyond {name}'s range ({lo} to {hi}): as a cast, it becomes NaN (the format has no infinity).",
        "zh": "{x} 超出了 {name} 的范围（{lo} 到 {hi}）：按类型转换，它变为 NaN（该格式没有无穷大）。",
    },
    "bits.note_e8m0_cast": {
        "en": "This is what ml_dtypes' cast does: it rounds every number between 2^-127 and 2^-126 up to "
              "2^-126, even one nearer 2^-127 (once rounded to float32, its first step, the number must still be "
              "above 2^-127). The saturate mode rounds to the nearer power of two.",
        "zh": "这是 ml_dtypes 转换的行为：它把 2^-127 与 2^-126 之间的每个数都向上舍入到 2^-126，"
              "即使它更接近 2^-127（该数先舍入为 float32，仍须大于 2^-127）。饱和模式则舍入到较近的 2 的幂。",
    },
    "bits.note_e8m0_float32_zero": {
        "en": "This is what ml_dtypes' cast does: it rounds to float32 first, where {x} becomes 0 (as does every "
              "number up to 2^-150), and E8M0 has no zero, so the result is NaN. The saturate mode stores the "
              "smallest value, 2^-127.",
        "zh": "这是 ml_dtypes 转换的行为：它先舍入为 float32，{x} 在那里变为 0（不超过 2^-150 的数都是如此），"
              "而 E8M0 没有零，所以结果为 NaN。饱和模式则存为最小值 2^-127。",
    },
    "bits.card_eps_none": {"en": "none (1 or the value after it is not in this format)", "zh": "无（此格式中没有 1 或 1 之后的值）"},
    "bits.card_nan": {"en": "NaN code (how many codes)", "zh": "NaN 编码（编码个数）"},
    "bits.card_negzero": {"en": "-0 code", "zh": "-0 编码"},
    "bits.card_count": {"en": "distinct finite values", "zh": "不同有限值的个数"},
    "bits.col_property": {"en": "property", "zh": "属性"},
    "bits.col_value": {"en": "value", "zh": "值"},
    "bits.col_format": {"en": "format", "zh": "格式"},
    "bits.col_stored": {"en": "stored value", "zh": "存储值"},
    "bits.col_abs_error": {"en": "abs. error", "zh": "绝对误差"},
    "bits.col_rel_error": {"en": "rel. error", "zh": "相对误差"},
    "bits.col_class": {"en": "class", "zh": "类别"},
    "bits.col_code_bits": {"en": "code = bits", "zh": "编码 = 位模式"},
    "bits.table_title": {"en": "The same number in every format", "zh": "所有格式对照"},
    "bits.walk_title": {"en": "Decimal → binary, step by step", "zh": "十进制转二进制"},
    "bits.values_title": {"en": "All {count} codes of {name}, with their values",
                          "zh": "{name} 的全部 {count} 个编码及其数值"},
    "bits.values_caption": {
        "en": "One row per code, in code order. ▶ marks the code shown above ({code}). Every value is exact "
              "(one too long to write out in decimals is written as m × 2^k).",
        "zh": "每个编码一行，按编码顺序排列。▶ 标出上面显示的编码（{code}）。所有数值都是精确值"
              "（十进制写出来太长的数值写成 m × 2^k）。",
    },
    "bits.values_col_shown": {"en": "shown", "zh": "当前"},
    "bits.values_col_code": {"en": "code", "zh": "编码"},
    "bits.values_col_bits": {"en": "bit pattern", "zh": "位模式"},
    "bits.values_col_value": {"en": "value", "zh": "数值"},
    "bits.values_download": {"en": "All codes of {name} (.csv)", "zh": "{name} 的全部编码（.csv）"},
    "bits.values_too_wide": {
        "en": "{name} has {bits} bits: every code is listed only for formats of at most {max} bits.",
        "zh": "{name} 有 {bits} 位：只有不超过 {max} 位的格式才列出全部编码。",
    },
    "bits.walk_integer": {
        "en": "Integer part {n}: divide by 2 repeatedly; read the remainders from the bottom up.",
        "zh": "整数部分 {n}：反复除以 2；余数从下往上读。",
    },
    "bits.walk_fraction": {
        "en": "Fraction part: double repeatedly; the integer parts, read from the top down, are the bits.",
        "zh": "小数部分：反复乘以 2；乘积的整数部分从上往下读就是各个位。",
    },
    "bits.walk_repeat": {
        "en": "The fraction {f} appeared before, so the bits in brackets repeat for ever.",
        "zh": "小数 {f} 之前已出现过，所以括号中的位将无限循环。",
    },
    "bits.walk_cut": {"en": "(only the first {n} steps are shown; the bits go on)", "zh": "（只显示前 {n} 步；后面还有更多位）"},
    "bits.walk_cut_integer": {
        "en": "(only the first {n} of {total} divisions are shown: they give the lowest {n} bits; the result above has all {total})",
        "zh": "（{total} 次除法中只显示前 {n} 次：它们给出最低的 {n} 位；上面的结果包含全部 {total} 位）",
    },
    "bits.walk_result": {"en": "Result", "zh": "结果"},
    "bits.walk_normalized": {"en": "Normalized (what a float stores)", "zh": "规格化形式（浮点数实际存储的形式）"},
    "bits.walk_stored": {
        "en": "**{name}** keeps {m} mantissa bits, so it stores `{stored}`.",
        "zh": "**{name}** 只保留 {m} 位尾数，因此存储为 `{stored}`。",
    },
    "bits.walk_stored_subnormal": {
        "en": "Here the number is subnormal in **{name}**: subnormals are whole multiples of {step} (2^{p}), "
        "so it stores `{stored}`, with fewer significant bits than a normal value.",
        "zh": "该数在 **{name}** 中是次正规数：次正规数都是 {step}（2^{p}）的整数倍，因此存储为 `{stored}`，"
              "有效位比正规数少。",
    },
    "bits.walk_stored_max": {
        "en": "The number's magnitude is beyond **{name}**'s largest value {max}, so it is stored as {signed_max}, "
        "`{stored}`.",
        "zh": "该数的绝对值超过了 **{name}** 的最大值 {max}，因此存储为 {signed_max}，即 `{stored}`。",
    },
    "bits.walk_col_step": {"en": "step", "zh": "步骤"},
    "bits.walk_col_result": {"en": "result", "zh": "结果"},
    "bits.walk_col_bit": {"en": "bit", "zh": "位"},
    "bits.walk_remainder": {"en": "remainder", "zh": "余"},
    "bits.walk_not_finite": {"en": "inf and NaN have no binary expansion.", "zh": "inf 和 NaN 没有二进制展开。"},
}
