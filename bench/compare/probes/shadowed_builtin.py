# Probe: a module that rebinds `list` and `dict`, so their calls are not the builtin constructors.
def list(*items):
    return tuple(items)


dict = frozenset


def rebound_list(a=list()): ...
def rebound_dict(a=dict()): ...
def still_a_display(a=[]): ...
