"""The disclosure workbench (`budgetgen serve`): a Django project inside the package."""
