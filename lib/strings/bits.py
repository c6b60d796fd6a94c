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
    "bits.parse.too_large": {
        "en": "“{text}” is larger than the largest float64 (about 1.798e308), so even float64 would store it "
        "as infinity (Python's float(\"1e999\") silently gives inf). Type a smaller number, or type inf.",
        "zh": "“{text}”超过了 float64 的最大值（约 1.798e308），连 float64 都只能把它存成无穷大"
        "（Python 的 float(\"1e999\") 会悄悄返回 inf）。请输入更小的数，或直接输入 inf。",
    },
    "bits.parse.too_small": {
        "en": "“{text}” is so close to zero that even float64 (smallest step about 4.9e-324) stores it as 0. "
        "Type a number of at least about 1e-323 in size, or type 0.",
        "zh": "“{text}”太接近零，连 float64（最小间隔约 4.9e-324）也只能存成 0。请输入绝对值不小于约 1e-323 的数，或直接输入 0。",
    },
    "bits.parse.division_by_zero": {
        "en": "“{text}” divides by zero. Change the divisor to a non-zero number.",
        "zh": "“{text}”中出现了除以零。请把除数改为非零的数。",
    },
    "bits.parse.bad_exponent": {
        "en": "In “{text}” the power needs a whole-number exponent, as in 2^-10 or 2**3.",
        "zh": "“{text}”中的幂指数必须是整数，例如 2^-10 或 2**3。",
    },
    "bits.parse.too_long": {
        "en": "The text is longer than {limit} characters. Type a shorter number.",
        "zh": "输入超过 {limit} 个字符。请输入更短的数。",
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
    "bits.parse.code_too_long": {
        "en": "“{text}” needs {needed} bits, but this format has only {bits}. Type at most {hex_digits} hex "
        "digits (up to {max_code}) or {bits} binary digits, or choose a wider format.",
        "zh": "“{text}”需要 {needed} 位，而该格式只有 {bits} 位。请最多输入 {hex_digits} 个十六进制数字"
        "（不超过 {max_code}）或 {bits} 个二进制数字，或选择更宽的格式。",
    },
}
