enum MSQKernelPlaceholder {}
