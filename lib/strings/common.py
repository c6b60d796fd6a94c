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
    "page.placeholder": {
        "en": "This page is being written; come back soon.",
        "zh": "此页面正在编写中，请稍后再来。",
    },
    "error.unexpected": {
        "en": "Something went wrong while computing this view ({detail}). Your inputs are kept; "
        "try other settings, and please report this.",
        "zh": "计算此视图时出错（原始报错：{detail}）。输入已保留；请尝试其他设置，并请报告此问题。",
    },
}
