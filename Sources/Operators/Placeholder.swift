enum OperatorsPlaceholder {}
