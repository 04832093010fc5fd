enum SQLPlannerPlaceholder {}
