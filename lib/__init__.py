"""LowBit Lab core: number formats, quantization, metrics, loading and charts.

Pure, typed numpy. Never imports streamlit.
"""
