{
  "variables": {
    "nvcc%": "<!(node scripts/nvcc.cjs --path)",
    "cuda_libdir%": "<!(node scripts/nvcc.cjs --libdir)",
    "cpu_compact%": "<!(node scripts/build-config.cjs --cpu-compact)",
    "cpu_avx2%": "<!(node scripts/build-config.cjs --cpu-isa avx2)",
    "cpu_avx512%": "<!(node scripts/build-config.cjs --cpu-isa avx512)",
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
      "target_name": "cpu_kernels_baseline_float",
      "type": "static_library",
      "sources": [
        "native/cpu/isa_kernels.cpp",
        "native/cpu/kernels/network_sir.cpp",
        "native/cpu/kernels/bass_diffusion.cpp",
        "native/cpu/kernels/bernoulli_sum.cpp",
        "native/cpu/kernels/brock_hommes.cpp",
        "native/cpu/kernels/gaussian_location.cpp",
        "native/cpu/kernels/gaussian_shift.cpp"
      ],
      "defines": ["AG_CPU_ISA=baseline", "AG_CPU_REAL=float", "AG_CPU_COMPACT=<(cpu_compact)"],
      "conditions": [
        ["cpu_compact==0", {"sources": [
          "native/cpu/kernels/volatility.cpp",
          "native/cpu/kernels/sir.cpp",
          "native/cpu/kernels/random_walk.cpp",
          "native/cpu/kernels/program.cpp"
        ]}]
      ]
    },
    {
      "target_name": "cpu_kernels_baseline_double",
      "type": "static_library",
      "sources": [
        "native/cpu/kernels/volatility.cpp",
        "native/cpu/kernels/sir.cpp",
        "native/cpu/kernels/network_sir.cpp",
        "native/cpu/kernels/bass_diffusion.cpp",
        "native/cpu/kernels/random_walk.cpp",
        "native/cpu/kernels/bernoulli_sum.cpp",
        "native/cpu/kernels/brock_hommes.cpp",
        "native/cpu/kernels/gaussian_location.cpp",
        "native/cpu/kernels/gaussian_shift.cpp",
        "native/cpu/kernels/program.cpp"
      ],
      "defines": ["AG_CPU_ISA=baseline", "AG_CPU_REAL=double", "AG_CPU_COMPACT=<(cpu_compact)"]
    },
    {
      "target_name": "agentgrad",
      "dependencies": ["cpu_kernels_baseline_float", "cpu_kernels_baseline_double"],
      "sources": [
        "native/addon/addon.cpp",
        "native/addon/backends.cpp",
        "native/addon/catalog_binding.cpp",
        "native/addon/graph_parser.cpp",
        "native/addon/internals_binding.cpp",
        "native/addon/intervention_parser.cpp",
        "native/addon/js_values.cpp",
        "native/addon/memory_cap.cpp",
        "native/addon/program_parser.cpp",
        "native/addon/request_parser.cpp",
        "native/addon/simulate_binding.cpp",
        "native/cpu/cpu_backend.cpp",
        "native/cpu/thread_pool.cpp",
        "native/cpu/workspace_cache.cpp",
        "native/program/validate.cpp"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS", "NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS", "AG_CPU_COMPACT=<(cpu_compact)"],
      "conditions": [
        ["cpu_avx512==1", {"dependencies+": ["cpu_kernels_avx512"], "defines": ["AG_CPU_HAS_AVX512=1"]}],
        ["cpu_avx2==1", {"dependencies+": ["cpu_kernels_avx2"], "defines": ["AG_CPU_HAS_AVX2=1"]}],
        ["nvcc!=''", {
          "defines": ["AGENTGRAD_WITH_CUDA=1"],
          "sources": ["native/cuda/cuda_backend.cu",
                      "native/cuda/program.cu",
                      "native/cuda/models/volatility.cu",
                      "native/cuda/models/sir.cu",
                      "native/cuda/models/network_sir.cu",
                      "native/cuda/models/bass_diffusion.cu",
                      "native/cuda/models/random_walk.cu",
                      "native/cuda/models/bernoulli_sum.cu",
                      "native/cuda/models/brock_hommes.cu",
                      "native/cuda/models/gaussian_location.cu",
                      "native/cuda/models/gaussian_shift.cu"],
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
  ],
  "conditions": [
    [
      "cpu_avx2==1",
      {
        "targets": [
          {
            "target_name": "cpu_kernels_avx2",
            "type": "static_library",
            "sources": [
              "native/cpu/isa_kernels.cpp",
              "native/cpu/kernels/volatility.cpp",
              "native/cpu/kernels/sir.cpp",
              "native/cpu/kernels/random_walk.cpp",
              "native/cpu/kernels/program.cpp"
            ],
            "defines": ["AG_CPU_ISA=avx2", "AG_CPU_REAL=float", "AG_CPU_WIDE=1"],
            "cflags_cc": ["-mavx2", "-mbmi2"]
          }
        ]
      }
    ],
    [
      "cpu_avx512==1",
      {
        "targets": [
          {
            "target_name": "cpu_kernels_avx512",
            "type": "static_library",
            "sources": [
              "native/cpu/isa_kernels.cpp",
              "native/cpu/kernels/volatility.cpp",
              "native/cpu/kernels/sir.cpp",
              "native/cpu/kernels/random_walk.cpp",
              "native/cpu/kernels/program.cpp"
            ],
            "defines": ["AG_CPU_ISA=avx512", "AG_CPU_REAL=float", "AG_CPU_WIDE=1"],
            "cflags_cc": [
              "-mavx512f",
              "-mavx512bw",
              "-mavx512dq",
              "-mavx512vl",
              "-mavx2",
              "-mbmi2",
              "-mprefer-vector-width=512"
            ]
          }
        ]
      }
    ]
  ]
}
