enum MSQPlannerPlaceholder {}
