"""Demo panels: a resident panel, its pool of volunteers and a selection run, on the areas population's
demo imported first (population comes before panels in INSTALLED_APPS)."""


def load(stdout):
    from .demo_panels import load_panels

    load_panels(stdout)
