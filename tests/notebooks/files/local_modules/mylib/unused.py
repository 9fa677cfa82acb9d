import this_module_does_not_exist  # never imported by the notebook: must not be shipped
