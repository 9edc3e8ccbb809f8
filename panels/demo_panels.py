def load_panels(stdout):
    pass
