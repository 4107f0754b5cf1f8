{
  "variables": {
    "nvcc%": "<!(node scripts/nvcc.cjs --path)",
    "cuda_libdir%": "<!(node scripts/nvcc.cjs --libdir)",
    "sanitize%": "0"
  },
  "target_defaults": {
    "cflags!": ["-fno-exceptions"],
    "cflags_cc!": ["-fno-exceptions", "-fno-rtti"],
    "cflags_cc": ["-std=c++17", "-O3", "-Wall", "-Wextra", "-fexceptions", "-fvisibility=hidden",
                  "-fno-math-errno", "-fno-trapping-math", "-ffp-contract=off"],
    "conditions": [
      ["sanitize=='1'", {
        "cflags_cc": ["-fsanitize=address,undefined", "-fno-sanitize-recover=undefined", "-fno-omit-frame-pointer", "-g"],
        "ldflags": ["-fsanitize=address,undefined"]
      }]
    ]
  },
  "targets": [
    {
      "target_name": "cpu_kernels_baseline",
      "type": "static_library",
      "sources": ["native/cpu/cpu_kernels.cpp"],
      "defines": ["AG_CPU_ISA=baseline"]
    },
    {
      "target_name": "cpu_kernels_avx2",
      "type": "static_library",
      "sources": ["native/cpu/cpu_kernels.cpp"],
      "defines": ["AG_CPU_ISA=avx2", "AG_CPU_WIDE=1"],
      "cflags_cc": ["-mavx2", "-mbmi2"]
    },
    {
      "target_name": "cpu_kernels_avx512",
      "type": "static_library",
      "sources": ["native/cpu/cpu_kernels.cpp"],
      "defines": ["AG_CPU_ISA=avx512", "AG_CPU_WIDE=1"],
      "cflags_cc": ["-mavx512f", "-mavx512bw", "-mavx512dq", "-mavx512vl", "-mavx2", "-mbmi2", "-mprefer-vector-width=512"]
    },
    {
      "target_name": "agentgrad",
      "dependencies": ["cpu_kernels_baseline", "cpu_kernels_avx2", "cpu_kernels_avx512"],
      "sources": [
        "native/addon/addon.cpp",
        "native/addon/backends.cpp",
        "native/addon/catalog_binding.cpp",
        "native/addon/graph_parser.cpp",
        "native/addon/internals_binding.cpp",
        "native/addon/intervention_parser.cpp",
        "native/addon/js_values.cpp",
        "native/addon/memory_cap.cpp",
        "native/addon/request_parser.cpp",
        "native/addon/simulate_binding.cpp",
        "native/cpu/cpu_backend.cpp",
        "native/cpu/thread_pool.cpp",
        "native/cpu/workspace_cache.cpp"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS"],
      "conditions": [
        ["nvcc!=''", {
          "defines": ["AGENTGRAD_WITH_CUDA=1"],
          "sources": ["native/cuda/cuda_backend.cu"],
          "rules": [{
            "rule_name": "nvcc",
            "extension": "cu",
            "inputs": ["<(RULE_INPUT_PATH)", "<!@(node scripts/nvcc.cjs --headers)"],
            "outputs": ["<(INTERMEDIATE_DIR)/<(RULE_INPUT_ROOT).o"],
            "action": ["node", "<(module_root_dir)/scripts/nvcc.cjs", "<(RULE_INPUT_PATH)", "<(INTERMEDIATE_DIR)/<(RULE_INPUT_ROOT).o"],
            "message": "nvcc <(RULE_INPUT_PATH)",
            "process_outputs_as_sources": 1
          }],
          "libraries": ["-L<(cuda_libdir)", "-lcudart_static", "-ldl", "-lpthread", "-lrt"]
        }]
      ]
    }
  ]
}
