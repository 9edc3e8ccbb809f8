from participation.entrances import Door, MenuLink


def doors():
    return [Door("Extra door", "Only in the test.", "/extra/", order=25)]


def menu_links(user):
    return [MenuLink("Extra link", "/extra/menu/", order=15)]
