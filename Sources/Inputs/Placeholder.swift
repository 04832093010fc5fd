enum InputsPlaceholder {}
