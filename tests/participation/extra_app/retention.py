def apply(now):
    return {"extra things deleted": 0}
