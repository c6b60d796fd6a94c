"""Strings of the data sources (lib/io.py, lib/synthetic.py): labels and every load error.

Each error says what is wrong and what to do. Parameters in braces are filled by the raiser.
"""

STRINGS: dict[str, dict[str, str]] = {
    # ---- data-source labels the pages may use -------------------------------------------
    "io.source.label": {"en": "Data source", "zh": "数据来源"},
    "io.source.synthetic": {"en": "Synthetic", "zh": "合成数据"},
    "io.source.paste": {"en": "Paste numbers", "zh": "粘贴数字"},
    "io.source.upload": {"en": "Upload a file", "zh": "上传文件"},
    "io.source.bundled": {"en": "Real model weights (bundled)", "zh": "真实模型权重（内置）"},
    "io.upload.help": {
        "en": "Supported: .npy, .npz, .safetensors, .gguf, .csv, .txt (up to {max_mb} MB).",
        "zh": "可上传 .npy .npz .safetensors .gguf .csv .txt 文件（最大 {max_mb} MB）。",  # spaces: "：.npy、" broke badly
    },
    "io.paste.not_in_link": {
        "en": "This text ({n} characters) is too long to travel in a shared link (up to {limit} do): "
        "save it as a .csv file and share the file.",
        "zh": "这段文本（{n} 个字符）太长，无法放进分享链接（最多 {limit} 个字符）：请保存为 .csv 文件并分享该文件。",
    },
    "io.upload.not_in_link": {
        "en": "A shared link does not carry the file: whoever opens it uploads their own.",
        "zh": "分享链接不包含文件本身：打开链接的人需要自己上传文件。",
    },
    "io.paste.help": {
        "en": "Numbers separated by commas, spaces or new lines, e.g. -0.5, 0.3, 1.2, -2.1",
        "zh": "用逗号、空格或换行分隔的数字，例如 -0.5, 0.3, 1.2, -2.1",
    },
    "io.pick_array": {"en": "Array / tensor", "zh": "数组 / 张量"},
    "io.reading": {"en": "Reading {name}…", "zh": "正在读取 {name}……"},
    "io.upload_kept": {"en": "Using {name}, uploaded earlier. Upload another file to replace it.",
                       "zh": "正在使用之前上传的 {name}。上传另一个文件即可替换。"},
    "io.array_summary": {
        "en": "{name}: shape {shape}, stored as {dtype}, {size} values",
        "zh": "{name}：形状 {shape}，存储类型 {dtype}，共 {size} 个值",
    },
    "io.array_summary_one": {
        "en": "{name}: shape {shape}, stored as {dtype}, {size} value",
        "zh": "{name}：形状 {shape}，存储类型 {dtype}，共 {size} 个值",
    },
    "io.axis_option": {"en": "axis {axis} (length {n})", "zh": "轴 {axis}（长度 {n}）"},
    "io.axis_choice": {
        "en": "This array has {ndim} dimensions {shape}. Choose the axis that holds the channels; "
        "the other axes are flattened into rows.",
        "zh": "该数组是 {ndim} 维的，形状为 {shape}。请选择哪个轴作为通道轴，其余各轴将被展平为行。",
    },
    "io.axis_placeholder": {"en": "Choose an axis", "zh": "请选择一个轴"},
    "io.axis_label": {"en": "Channel axis in the file", "zh": "文件中的通道轴"},  # not the Quantize box's "Channel axis"
    "io.seed": {"en": "Random seed", "zh": "随机种子"},
    "io.size": {"en": "Number of values", "zh": "数值个数"},
    "io.magnitude": {"en": "Multiply the values by", "zh": "数值乘以"},
    "io.magnitude_help": {
        "en": "Every value is multiplied by 10^k (in float32). Tiny values (× 10⁻⁴) show why FP8 needs a "
        "scale: cast them to float8_e4m3fn with the scale method “none (cast directly)” and almost all "
        "of them become 0; absmax brings them back.",
        "zh": "每个数值乘以 10^k（按 float32 计算）。很小的数值（× 10⁻⁴）能说明 FP8 为什么需要缩放因子："
        "用缩放方法“无（直接转换）”把它们转换为 float8_e4m3fn，几乎全部变成 0；用 absmax 就能保留下来。",
    },
    "io.kind.label": {"en": "Distribution", "zh": "分布"},
    "io.kind.normal": {"en": "Normal (Gaussian)", "zh": "正态分布（高斯）"},
    "io.kind.laplace": {"en": "Laplace (peaked, heavier tails)", "zh": "拉普拉斯分布（尖峰、较重尾部）"},
    "io.kind.uniform": {"en": "Uniform", "zh": "均匀分布"},
    "io.kind.student_t": {"en": "Student-t (heavy tails)", "zh": "学生 t 分布（重尾）"},
    "io.kind.bimodal": {"en": "Bimodal (two bumps)", "zh": "双峰分布"},
    "io.kind.llm_like": {
        "en": "LLM-like matrix (a few outlier channels ~50x larger)",
        "zh": "类 LLM 矩阵（少数离群通道约为 50 倍）",
    },
    "io.param.loc": {"en": "Mean (loc)", "zh": "均值 (loc)"},
    "io.param.scale": {"en": "Scale", "zh": "尺度 (scale)"},
    "io.param.low": {"en": "Lowest value", "zh": "最小值"},
    "io.param.high": {"en": "Highest value", "zh": "最大值"},
    "io.param.df": {"en": "Degrees of freedom (smaller = heavier tails)", "zh": "自由度（越小尾部越重）"},
    "io.param.mu": {"en": "Distance of each bump from 0", "zh": "每个峰到 0 的距离"},
    "io.param.sigma": {"en": "Width of each bump", "zh": "每个峰的宽度"},
    "io.param.std": {"en": "Standard deviation of ordinary channels", "zh": "普通通道的标准差"},
    "io.param.n_outliers": {"en": "Number of outlier channels", "zh": "离群通道数"},
    "io.param.outlier_axis": {"en": "Outlier channels are", "zh": "离群通道是"},
    "io.param.outlier_axis.1": {"en": "columns (axis 1)", "zh": "列（轴 1）"},
    "io.param.outlier_axis.0": {"en": "rows (axis 0)", "zh": "行（轴 0）"},
    "io.params": {"en": "Distribution parameters", "zh": "分布参数"},
    "io.params_help": {
        "en": "Change the shape of the data, e.g. fewer degrees of freedom give heavier tails. A shared link "
        "keeps what you change.",
        "zh": "改变数据的形状，例如自由度越小尾部越重。分享的链接会保留你的修改。",
    },
    "io.params_changed": {"en": ", {params}", "zh": "，{params}"},
    "io.params_sep": {"en": ", ", "zh": "，"},
    "io.param_is": {"en": "{name} = {value}", "zh": "{name} = {value}"},
    "io.param_short.loc": {"en": "mean", "zh": "均值"},
    "io.param_short.scale": {"en": "scale", "zh": "尺度"},
    "io.param_short.low": {"en": "lowest", "zh": "最小值"},
    "io.param_short.high": {"en": "highest", "zh": "最大值"},
    "io.param_short.df": {"en": "df", "zh": "自由度"},
    "io.param_short.mu": {"en": "bump at ±", "zh": "峰位 ±"},
    "io.param_short.sigma": {"en": "bump width", "zh": "峰宽"},
    "io.param_short.std": {"en": "std", "zh": "标准差"},
    "io.param_short.n_outliers": {"en": "outlier channels", "zh": "离群通道数"},
    "io.param_short.outlier_scale": {"en": "outliers ×", "zh": "离群倍数"},
    "io.outliers_in.0": {"en": "outliers in rows", "zh": "离群通道为行"},
    "io.outliers_in.1": {"en": "outliers in columns", "zh": "离群通道为列"},
    "io.kind_short.normal": {"en": "Normal", "zh": "正态分布"},
    "io.kind_short.laplace": {"en": "Laplace", "zh": "拉普拉斯分布"},
    "io.kind_short.uniform": {"en": "Uniform", "zh": "均匀分布"},
    "io.kind_short.student_t": {"en": "Student-t", "zh": "学生 t 分布"},
    "io.kind_short.bimodal": {"en": "Bimodal", "zh": "双峰分布"},
    "io.kind_short.llm_like": {"en": "LLM-like matrix", "zh": "类 LLM 矩阵"},
    "io.params_reset": {"en": "Back to the defaults", "zh": "恢复默认值"},
    "io.param.outlier_scale": {"en": "How much larger the outlier channels are", "zh": "离群通道放大倍数"},
    "io.asset.minilm_attention_query": {
        "en": "MiniLM-L6 layer 0 attention query weight (384x384)",
        "zh": "MiniLM-L6 第 0 层注意力 query 权重（384×384）",
    },
    "io.asset.minilm_ffn_up": {
        "en": "MiniLM-L6 layer 0 feed-forward up-projection weight (1536x384)",
        "zh": "MiniLM-L6 第 0 层前馈网络升维权重（1536×384）",
    },
    "io.asset.minilm_word_embeddings_slice": {
        "en": "MiniLM-L6 word embeddings, 512 common words (512x384)",
        "zh": "MiniLM-L6 词嵌入，512 个常用词（512×384）",
    },
    "io.asset.minilm_layernorm_weight": {
        "en": "MiniLM-L6 layer 0 output LayerNorm weight (384)",
        "zh": "MiniLM-L6 第 0 层输出 LayerNorm 权重（384）",
    },
    "io.asset.credit": {
        "en": "Weights from sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0); see assets/README.md.",
        "zh": "权重来自 sentence-transformers/all-MiniLM-L6-v2（Apache-2.0 许可）；详见 assets/README.md。",
    },
    # ---- errors: whole file -------------------------------------------------------------
    "io.empty_file": {
        "en": "Empty file: {filename} is empty (0 bytes). Choose a file that holds an array.",
        "zh": "文件为空：{filename} 是空文件（0 字节）。请选择一个包含数组的文件。",
    },
    "io.too_large": {
        "en": "File too large: {filename} is {size_mb} MB, above the {max_mb} MB upload limit. Save a smaller "
        "slice of the tensor (e.g. a few rows) and upload that.",
        "zh": "文件过大：{filename} 大小为 {size_mb} MB，超过 {max_mb} MB 的上传上限。请保存张量的一小部分（例如几行）后再上传。",
    },
    "io.too_many_tensors": {
        "en": "Too many tensors: {filename} holds {n} tensors, more than the {limit} this app lists (a model file "
        "of real weights has hundreds). Save the tensors you want to look at in a smaller file and upload that.",
        "zh": "张量过多：{filename} 含有 {n} 个张量，超过本应用能列出的 {limit} 个（真实模型权重文件一般只有几百个）。"
        "请把想查看的张量另存为一个较小的文件后再上传。",
    },
    "io.too_many_values": {
        "en": "Tensor too large: '{name}' has {n} values (shape {shape}), more than the {max_values} this app reads "
        "({max_mb} MB of float32, the upload limit; a small file can hold many more values when they are packed "
        "or quantized). Pick another tensor, or save a slice of this one (e.g. its first rows) and upload that.",
        "zh": "张量过大：“{name}”有 {n} 个值（形状 {shape}），超过本应用能读取的 {max_values} 个"
        "（即 {max_mb} MB 的 float32，与上传上限相同；打包或量化存储的小文件可能含有多得多的值）。"
        "请选择其他张量，或保存它的一部分（例如前几行）后再上传。",
    },
    "io.text_too_many_values": {
        "en": "Too many numbers: '{name}' holds {n} numbers, more than the {max_values} this app reads from text "
        "(text is read as float64, 8 bytes a number: {max_mb} MB, the upload limit). Save them as a float32 .npy "
        "(np.save(f, x.astype(np.float32))), which may hold twice as many, or upload fewer.",
        "zh": "数字过多：“{name}”含有 {n} 个数字，超过本应用从文本中读取的上限 {max_values} 个"
        "（文本按 float64 读取，每个数字 8 字节，共 {max_mb} MB，与上传上限相同）。"
        "请把它们保存为 float32 的 .npy（np.save(f, x.astype(np.float32))），可容纳两倍的数量；或者上传更少的数字。",
    },
    "io.no_extension": {
        "en": "Unknown file type: {filename} has no file extension, so its format is unknown. Rename it to end in "
        "the format it holds, one of: {supported}.",
        "zh": "未知的文件类型：{filename} 没有扩展名，无法判断其格式。请按其实际格式重命名，以下列之一结尾：{supported}。",
    },
    "io.unknown_extension": {
        "en": "Unsupported file type: {filename}: files ending in '{ext}' are not supported. Use one of: {supported}.",
        "zh": "不支持的文件类型：{filename} 以“{ext}”结尾，本应用不支持。请使用以下格式之一：{supported}。",
    },
    # ---- .npy / .npz --------------------------------------------------------------------
    "io.npy_pickle": {
        "en": "Pickle refused: {filename} holds Python objects (a pickle), not plain numbers. Pickles can run code, "
        "so they are never opened here. Save a numeric array instead: np.save(f, x.astype(np.float32)).",
        "zh": "拒绝打开 pickle：{filename} 包含 Python 对象（pickle），而不是纯数字。pickle 可能执行代码，因此这里绝不打开它。"
        "请改存数值数组：np.save(f, x.astype(np.float32))。",
    },
    "io.npy_truncated": {
        "en": "Incomplete .npy file: {filename} is cut short: its header promises {expected} bytes of data but the file "
        "holds only {actual}. The upload or save was probably interrupted; save the array again.",
        "zh": ".npy 文件不完整：{filename} 的文件头声明有 {expected} 字节数据，但文件中只有 {actual} 字节。"
              "上传或保存可能被中断了，请重新保存该数组。",
    },
    "io.npy_invalid": {
        "en": "Unreadable .npy file: {filename} is not a valid .npy file ({detail}). Save the array with numpy.save and try again.",
        "zh": "无法读取的 .npy 文件：{filename} 不是有效的 .npy 文件（原始报错：{detail}）。请用 numpy.save 保存数组后重试。",
    },
    "io.npy_too_many_dims": {
        "en": "Too many dimensions: {filename}'s header gives its array {ndim} dimensions, but numpy arrays have at most "
        "{max_dims} (a weight tensor has 1 to 4). The header is damaged or was not written by numpy; save the array "
        "with numpy.save and try again.",
        "zh": "维数过多：{filename} 的文件头声明数组有 {ndim} 个维度，而 numpy 数组最多 {max_dims} 维（权重张量一般为 1 到 4 维）。"
        "文件头已损坏或并非由 numpy 写出，请用 numpy.save 保存数组后重试。",
    },
    "io.npz_invalid": {
        "en": "Unreadable .npz file: {filename} is not a valid .npz archive ({detail}). Save the arrays with numpy.savez and try again.",
        "zh": "无法读取的 .npz 文件：{filename} 不是有效的 .npz 压缩包（原始报错：{detail}）。请用 numpy.savez 保存数组后重试。",
    },
    "io.npz_no_arrays": {
        "en": "No arrays in .npz: {filename} is a valid .npz archive but holds no arrays. Save at least one array: "
        "np.savez(f, weights=x).",
        "zh": ".npz 中没有数组：{filename} 是有效的 .npz 压缩包，但其中没有任何数组。请至少保存一个数组：np.savez(f, weights=x)。",
    },
    "io.npz_too_large": {
        "en": "Archive too large: {filename} unpacks to {size_mb} MB of arrays, more than the {max_mb} MB this app "
        "takes. Save fewer or smaller arrays (e.g. one layer) in the .npz.",
        "zh": "压缩包过大：{filename} 解压后的数组共 {size_mb} MB，超过本应用接受的 {max_mb} MB。"
        "请在 .npz 中保存更少或更小的数组（例如只保存一层）。",
    },
    "io.npz_pickle": {
        "en": "Pickle refused: Array '{member}' in {filename} holds Python objects (a pickle), which are never opened "
        "here because they can run code. Save only numeric arrays in the .npz.",
        "zh": "拒绝打开 pickle：{filename} 中的数组“{member}”包含 Python 对象（pickle），因其可能执行代码，这里绝不打开。"
        "请只在 .npz 中保存数值数组。",
    },
    # ---- .safetensors -------------------------------------------------------------------
    "io.safetensors_header_truncated": {
        "en": "Incomplete .safetensors header: {filename} is not a complete .safetensors file: its header (said to be {claimed} bytes) "
        "is cut short. The file is damaged or was not fully downloaded; get it again.",
        "zh": ".safetensors 文件头不完整：{filename} 的文件头（声明为 {claimed} 字节）被截断。"
              "文件已损坏或未下载完整，请重新获取。",
    },
    "io.safetensors_header_huge": {
        "en": "Implausible .safetensors header: {filename} claims a header of {claimed} bytes, far more than any real .safetensors "
        "file uses (limit 100 MB). The file is damaged or not a .safetensors file.",
        "zh": ".safetensors 文件头大小不合理：{filename} 声称文件头有 {claimed} 字节，远超任何真实 .safetensors 文件的文件头（上限 100 MB）"
              "。该文件已损坏或并非 .safetensors 文件。",
    },
    "io.safetensors_bad_offsets": {
        "en": "Inconsistent .safetensors file: {filename}: the header's tensor positions (data_offsets) or shapes do not match the data "
        "in the file ({detail}). The file is damaged; save the tensors again with safetensors.",
        "zh": ".safetensors 文件内容不一致：{filename} 文件头中的张量位置（data_offsets）"
              "或形状与文件中的数据不符（原始报错：{detail}）。文件已损坏，请用 safetensors 重新保存张量。",
    },
    "io.safetensors_truncated": {
        "en": "Incomplete .safetensors file: {filename} ends before all of its tensor data: it is cut short. Download or save it again.",
        "zh": ".safetensors 文件不完整：{filename} 在全部张量数据结束前就已截断。请重新下载或保存。",
    },
    "io.safetensors_extra_bytes": {
        "en": "Damaged .safetensors file: {filename} has {extra} bytes after the end of its last tensor, which its "
        "header does not describe (two files joined, or a damaged download). Download or save it again.",
        "zh": ".safetensors 文件已损坏：{filename} 在最后一个张量之后还有 {extra} 字节，文件头中没有描述它们"
        "（可能是两个文件拼接在一起，或下载损坏）。请重新下载或保存。",
    },
    "io.safetensors_invalid": {
        "en": "Unreadable .safetensors file: {filename} is not a valid .safetensors file ({detail}). Save tensors with "
        "safetensors.numpy.save_file (or torch's save_file) and try again.",
        "zh": "无法读取的 .safetensors 文件：{filename} 不是有效的 .safetensors 文件（原始报错：{detail}）。请用 safetensors.numpy.save_file"
        "（或 torch 的 save_file）保存张量后重试。",
    },
    "io.safetensors_no_tensors": {
        "en": "No tensors in .safetensors: {filename} is a valid .safetensors file but holds no tensors. Choose a file with weights in it.",
        "zh": ".safetensors 中没有张量：{filename} 是有效的 .safetensors 文件，但其中没有张量。请选择包含权重的文件。",
    },
    "io.safetensors_dtype_unsupported": {
        "en": "Unsupported element type: Tensor '{tensor}' in {filename} is stored as {dtype}, which this app cannot unpack yet. "
        "Convert it to float16, bfloat16 or float32 before uploading.",
        "zh": "不支持的元素类型：{filename} 中的张量“{tensor}”以 {dtype} 存储，本应用暂时无法解包。请先转换为 float16、bfloat16 或 float32 再上传。",
    },
    # ---- .gguf --------------------------------------------------------------------------
    "io.gguf_not_gguf": {
        "en": "Not a GGUF file: {filename} is not a GGUF file: it does not start with the bytes 'GGUF'. Choose a .gguf "
        "model file as written by llama.cpp or the gguf package.",
        "zh": "不是 GGUF 文件：{filename} 不以字节“GGUF”开头。请选择由 llama.cpp 或 gguf 包写出的 .gguf 模型文件。",
    },
    "io.gguf_too_short": {
        "en": "Unreadable GGUF file: {filename} is only {size} bytes long, shorter than a GGUF header (24 bytes: "
        "magic, version, tensor and metadata counts). It was cut short; upload the whole file.",
        "zh": "无法读取的 GGUF 文件：{filename} 只有 {size} 字节，比 GGUF 文件头（24 字节："
              "魔数、版本、张量数和元数据数）还短。文件不完整，请上传完整文件。",
    },
    "io.gguf_invalid": {
        "en": "Unreadable GGUF file: {filename} starts like a GGUF file but cannot be read ({detail}). It is damaged, cut "
        "short or from an unsupported GGUF version; try another file.",
        "zh": "无法读取的 GGUF 文件：{filename} 开头像 GGUF 文件，但无法读取（原始报错：{detail}）。文件可能已损坏、不完整或为不支持的 GGUF 版本，请换一个文件。",
    },
    "io.gguf_metadata_huge": {
        "en": "Too much GGUF metadata: {filename} lists at least {n} entries in its metadata arrays (tokenizer "
        "vocabulary and the like), more than the {limit} this app reads through; a real model has under a million "
        "(Llama 3: about 540,000). This app only needs the tensors: upload another file, or save the tensors you "
        "want as .safetensors or .npy.",
        "zh": "GGUF 元数据过多：{filename} 的元数据数组中至少有 {n} 个条目（分词器词表等），超过本应用能读取的 {limit} 个；"
        "真实模型不到一百万个（Llama 3 约 540,000 个）。本应用只需要张量：请换一个文件，或把需要的张量保存为 .safetensors 或 .npy 后上传。",
    },
    "io.gguf_no_tensors": {
        "en": "No tensors in GGUF: {filename} is a valid GGUF file but holds no tensors (metadata only). Choose a model file with weights.",
        "zh": "GGUF 中没有张量：{filename} 是有效的 GGUF 文件，但只有元数据、没有张量。请选择包含权重的模型文件。",
    },
    "io.gguf_qtype_unsupported": {
        "en": "Unsupported GGUF type: Tensor '{tensor}' in {filename} uses the GGUF type {qtype}, which the gguf package cannot "
        "dequantize. Pick another tensor or a file quantized with e.g. Q8_0, Q4_0, Q4_K or F16.",
        "zh": "不支持的 GGUF 类型：{filename} 中的张量“{tensor}”使用 GGUF 类型 {qtype}，gguf 包无法对其反量化。"
        "请选择其他张量，或使用 Q8_0、Q4_0、Q4_K、F16 等类型量化的文件。",
    },
    # ---- text: .csv / .txt / pasted -----------------------------------------------------
    "io.csv_not_text": {
        "en": "Not a text file: {filename} is not a text of numbers in UTF-8, UTF-16 or GBK. A .csv/.txt must hold numbers "
        "as text; for binary arrays use .npy.",
        "zh": "不是文本文件：{filename} 不是以 UTF-8、UTF-16 或 GBK 编码的数字文本。.csv/.txt 必须以文本形式保存数字；二进制数组请使用 .npy。",
    },
    "io.csv_bad_token": {
        "en": "Not a number in a text file: {filename}, line {line}: '{token}' is not a number. Keep only numbers separated by "
        "commas, spaces or new lines (remove header rows and labels).",
        "zh": "文本文件中有非数字内容：{filename} 第 {line} 行：“{token}”不是数字。请只保留以逗号、空格或换行分隔的数字（删除表头行和标签）。",
    },
    "io.csv_ragged": {
        "en": "Rows of different lengths in {filename}: line {line} has {n} numbers, line 1 has {first}. A CSV table "
        "needs as many on every line: fix that line, or save the numbers as a .txt file to read them as one list.",
        "zh": "{filename} 中各行长度不同：第 {line} 行有 {n} 个数，第 1 行有 {first} 个。CSV 表格每行的个数必须相同："
              "请修正该行，或把这些数字存成 .txt 文件，按一列数读取。",
    },
    "io.csv_no_numbers": {
        "en": "No numbers in the file: {filename} holds no numbers. Put numbers in it separated by commas, spaces or new lines.",
        "zh": "文件中没有数字：{filename} 中没有数字。请填入以逗号、空格或换行分隔的数字。",
    },
    "io.pasted_name": {"en": "pasted numbers", "zh": "粘贴的数字"},
    "io.comma_decimal": {
        "en": "Commas are read as separators: “{example}” (line {line}) is the two numbers {a} and {b}. If the comma "
        "is your decimal mark, write {a}.{b}, or put “;” between the numbers (then “{example}” reads as {a}.{b}).",
        "zh": "逗号被当作分隔符：第 {line} 行的“{example}”读作 {a} 和 {b} 两个数。如果逗号是小数点，请写成 {a}.{b}，"
              "或者用“;”分隔各个数（这样“{example}”读作 {a}.{b}）。",
    },
    "io.comma_thousands": {
        "en": "Commas are read as separators: “{example}” (line {line}) is the numbers {parts}. Thousands separators "
        "are not read: write {joined}.",
        "zh": "逗号被当作分隔符：第 {line} 行的“{example}”读作 {parts} 这几个数。千位分隔符不会被识别：请写成 {joined}。",
    },
    "io.number_too_small": {
        "en": "Number too small: line {line}: '{token}' is nonzero but below half of float64's smallest step "
        "(about 2.5e-324; the step is about 4.9e-324), so it would silently become 0. Type 0 if you mean zero, or a larger number.",
        "zh": "数值过小：第 {line} 行的“{token}”不为零，但小于 float64 最小间隔（约 4.9e-324）的一半（约 2.5e-324），会悄悄变成 0。"
              "如果指零，请写 0；否则请输入更大的数。",
    },
    "io.number_too_large": {
        "en": "Number too large: line {line}: '{token}' is beyond what float64 can hold (about 1.8e308), so it "
        "would become infinity and be left out. Type a smaller number, or write inf if you mean infinity.",
        "zh": "数值过大：第 {line} 行的“{token}”超出了 float64 的范围（约 1.8e308），会变成无穷大并被排除在外。"
              "请输入更小的数；如果确实指无穷大，请写 inf。",
    },
    "io.paste_bad_token": {
        "en": "Not a number in the pasted text: line {line}: '{token}' is not a number. Type numbers like -0.5, 1e-3 or 2, separated by "
        "commas, spaces or new lines.",
        "zh": "粘贴的文本中有非数字内容：第 {line} 行的“{token}”不是数字。请输入 -0.5、1e-3 或 2 这样的数字，"
              "用逗号、空格或换行分隔。",
    },
    "io.paste_empty": {
        "en": "No numbers were pasted. Type or paste some, e.g. -0.5, 0.3, 1.2, -2.1",
        "zh": "没有粘贴任何数字。请输入或粘贴一些数字，例如 -0.5, 0.3, 1.2, -2.1",
    },
    "io.paste_too_long": {
        "en": "The pasted text is {size_kb} KB, more than the {max_kb} KB allowed here. For large "
        "data upload a .npy or .csv file instead.",
        "zh": "粘贴的文本有 {size_kb} KB，超过此处允许的 {max_kb} KB。大数据请改为上传 .npy 或 .csv 文件。",
    },
    # ---- errors: array content (check_array) --------------------------------------------
    "io.empty_array": {
        "en": "Empty array: Array '{name}' has no values (shape {shape}). Choose an array with at least one number.",
        "zh": "空数组：数组“{name}”没有任何值（形状 {shape}）。请选择至少包含一个数字的数组。",
    },
    "io.complex_array": {
        "en": "Complex numbers: Array '{name}' holds complex numbers ({dtype}); quantization here works on real numbers. "
        "Upload the real part (x.real) or the magnitude (abs(x)) instead.",
        "zh": "复数数组：数组“{name}”包含复数（{dtype}），这里的量化只适用于实数。请改为上传实部（x.real）或模（abs(x)）。",
    },
    "io.string_array": {
        "en": "Text, not numbers: Array '{name}' holds text ({dtype}), not numbers. Convert it to numbers "
        "(e.g. x.astype(np.float32)) before saving.",
        "zh": "文本而非数字：数组“{name}”保存的是文本（{dtype}），不是数字。请先转换为数字（例如 x.astype(np.float32)）再保存。",
    },
    "io.raw_bytes_array": {
        "en": "Raw bytes, not a known number type: array '{name}' holds {n}-byte values of type {dtype}. That is how "
        "np.save stores ml_dtypes types such as bfloat16 or float8, and the file does not say which one. Save "
        "x.astype(np.float32) instead (exact for those types), or a .safetensors file, which names BF16 and F8.",
        "zh": "原始字节，而非已知的数值类型：数组“{name}”保存的是 {n} 字节的 {dtype} 类型值。np.save 会这样保存 ml_dtypes "
        "的 bfloat16、float8 等类型，但文件里没有记录是哪一种。请改存 x.astype(np.float32)（对这些类型是精确的），"
        "或保存为 .safetensors 文件（它会标明 BF16 和 F8）。",
    },
    "io.not_numeric": {
        "en": "Not a number type: Array '{name}' has type {dtype}, which is not a number type. Save it as float32.",
        "zh": "非数值类型：数组“{name}”的类型是 {dtype}，不是数值类型。请将其保存为 float32。",
    },
    "io.all_nan": {
        "en": "Only NaN values: Every value in array '{name}' is NaN (not a number), so there is nothing to quantize. "
        "Check how the array was produced, or choose another one.",
        "zh": "全部为 NaN：数组“{name}”中的所有值都是 NaN（非数），没有可量化的内容。请检查该数组的生成方式，或选择其他数组。",
    },
    "io.no_finite": {
        "en": "No finite values: Every value in array '{name}' is ±inf or NaN, so there is nothing to quantize "
        "and no error to measure. Check how the array was produced, or choose another one.",
        "zh": "没有有限值：数组“{name}”中的所有值都是 ±inf 或 NaN，没有可量化的内容，也无法衡量误差。"
        "请检查该数组的生成方式，或选择其他数组。",
    },
    "io.bad_axis": {
        "en": "Axis {axis} does not exist for an array with {ndim} dimensions. Pick an axis from 0 to {last}.",
        "zh": "对于 {ndim} 维数组，不存在轴 {axis}。请选择 0 到 {last} 之间的轴。",
    },
    "io.unknown_asset": {
        "en": "There is no bundled tensor called '{name}'. Available: {names}.",
        "zh": "没有名为“{name}”的内置张量。可用的有：{names}。",
    },
    # ---- errors: synthetic --------------------------------------------------------------
    "io.synthetic_unknown_kind": {
        "en": "Unknown distribution '{kind}'. Choose one of: {kinds}.",
        "zh": "未知的分布“{kind}”。请从以下选项中选择：{kinds}。",
    },
    "io.synthetic_bad_size": {
        "en": "Cannot make synthetic data of shape {shape}: every dimension must be at least 1 and the "
        "total at most {max_size} values. Pick a size in that range.",
        "zh": "无法生成形状为 {shape} 的合成数据：每个维度至少为 1，总数最多 {max_size} 个值。请在此范围内选择大小。",
    },
    "io.synthetic_needs_matrix": {
        "en": "The '{kind}' distribution makes a matrix (rows x columns), but shape {shape} is not 2-D. "
        "Give two dimensions, e.g. (1024, 256), or just a number of values.",
        "zh": "“{kind}”分布生成的是矩阵（行 × 列），但形状 {shape} 不是二维的。请给出两个维度，例如 (1024, 256)，"
              "或只给出数值个数。",
    },
    "io.synthetic_bad_param": {
        "en": "'{param}' is not a valid setting for the '{kind}' distribution (it must be a finite number "
        "and one of: {allowed}).",
        "zh": "“{param}”不是“{kind}”分布的有效参数（必须是有限数值，且为以下之一：{allowed}）。",
    },
    "io.synthetic_not_positive": {
        "en": "'{param}' must be greater than 0 for the '{kind}' distribution (got {value}). Pick a positive value.",
        "zh": "对于“{kind}”分布，“{param}”必须大于 0（当前为 {value}）。请选择一个正数。",
    },
    "io.synthetic_bad_range": {
        "en": "The highest value ({high}) must be above the lowest ({low}). Swap or widen them.",
        "zh": "最大值（{high}）必须大于最小值（{low}）。请交换两者或扩大范围。",
    },
    "io.synthetic_bad_outliers": {
        "en": "The number of outlier channels must be a whole number from 0 to {cols} (at most half of the "
        "{channels} channels, so that most stay ordinary); got {n_outliers}. Choose fewer, or more values.",
        "zh": "离群通道数必须是 0 到 {cols} 之间的整数（最多为 {channels} 个通道的一半，使大多数通道保持普通）；"
              "当前为 {n_outliers}。请减少离群通道数，或增加数值个数。",
    },
    "io.synthetic_bad_seed": {
        "en": "The seed must be a whole number 0 or above (got {seed}).",
        "zh": "随机种子必须是大于等于 0 的整数（当前为 {seed}）。",
    },
}
