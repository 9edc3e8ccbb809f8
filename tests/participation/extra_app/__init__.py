"""A throwaway project app for test_project_apps: adding it to INSTALLED_APPS must be all it takes."""
