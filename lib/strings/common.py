"""Strings shared by every page: app title, navigation, language switch, generic errors."""

STRINGS: dict[str, dict[str, str]] = {
    "app.title": {"en": "LowBit Lab", "zh": "LowBit Lab 低比特实验室"},
    "app.tagline": {
        "en": "How numbers are stored and quantized in machine learning, bit-exact.",
        "zh": "机器学习中的数字如何存储与量化——逐位精确。",
    },
    "app.language": {"en": "Language", "zh": "语言"},
    "nav.section": {"en": "Lessons", "zh": "课程"},
    "nav.bits": {"en": "Bits", "zh": "位级布局"},
    "nav.grid": {"en": "Grid", "zh": "量化网格"},
    "nav.quantize": {"en": "Quantize", "zh": "量化"},
    "nav.compare": {"en": "Compare", "zh": "格式对比"},
    # Streamlit's own texts (ui.BUILTIN_TEXTS): the English is Streamlit's, shown as it is
    "st.upload_button": {"en": "Upload", "zh": "选择文件"},
    "st.upload_limit": {"en": "{max_mb}MB per file", "zh": "每个文件最多 {max_mb} MB"},
    "st.press_enter": {"en": "Press Enter to apply", "zh": "按 Enter 键应用"},
    "st.press_ctrl_enter": {"en": "Press Ctrl+Enter to apply", "zh": "按 Ctrl+Enter（Mac：⌘+Enter）应用"},
    "st.no_results": {"en": "No results", "zh": "没有匹配的选项"},
    "chart.aria_with_axes": {"en": "Chart: {title}. Axes: {axes}.", "zh": "图表：{title}。坐标轴：{axes}。"},
    "chart.aria_plain": {"en": "Chart: {title}.", "zh": "图表：{title}。"},
    "chart.aria_sep": {"en": ". ", "zh": "。"},
    "chart.aria_join": {"en": "; ", "zh": "；"},
    "ui.waiting_big_job": {
        "en": "Waiting for another user's large tensor to finish: large tensors are computed one at a time, to "
        "fit the server's memory. This one starts next.",
        "zh": "正在等待其他用户的大张量计算完成：为了不超出服务器内存，大张量一次只计算一个。接下来就轮到这个。",
    },
    "share.title": {"en": "Share this view", "zh": "分享此视图"},
    "share.intro": {
        "en": "Students open this link, or scan the code with a phone's camera: the page opens with the "
        "same settings, in the same language.",
        "zh": "学生打开此链接，或用手机相机扫描二维码：页面会以相同的设置、相同的语言打开。",
    },
    "share.qr_alt": {"en": "QR code of the link below", "zh": "下方链接的二维码"},
    "share.too_long": {
        "en": "This link has {n} characters, too many for a QR code (at most 2,331). Copy the link below "
        "instead, or shorten the pasted numbers or the worked-example text and share again.",
        "zh": "此链接有 {n} 个字符，超出二维码的容量（最多 2,331 个）。请改为复制下方链接，或缩短粘贴的数字、"
        "示例文本后再分享。",
    },
    "share.upload_note": {
        "en": "An uploaded file does not travel in a link: students open the link, then upload the same "
        "file themselves.",
        "zh": "上传的文件无法放进链接：学生打开链接后，需要自己上传同一个文件。",
    },
    "error.unexpected": {
        "en": "Something went wrong while computing this view ({detail}). Your inputs are kept; "
        "try other settings, and please report this.",
        "zh": "计算此视图时出错（原始报错：{detail}）。输入已保留；请尝试其他设置，并请报告此问题。",
    },
}
