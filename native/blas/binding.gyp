{
  "targets": [
    {
      "target_name": "supernet_blas",
      "sources": ["blas.c", "step-kernels.c"],
      "cflags": ["-O3", "-fno-math-errno", "<!@(pkg-config --cflags openblas)"],
      "libraries": ["<!@(pkg-config --libs openblas)"]
    }
  ]
}
