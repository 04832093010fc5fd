enum MSQExecPlaceholder {}
