"""A tree whose children point back at their parent: every node is in a reference cycle."""


class Node:
    def __init__(self, name, parent=None):
        self.name = name
        self.children = []
        self.parent = parent
        if parent is not None:
            parent.children.append(self)

    def add(self, name, tags=set()):
        tags.add(name)
        return Node(name, self)


root = Node("root")
leaf = root.add("leaf")
del root, leaf  # the nodes stay alive until the cyclic collector runs
