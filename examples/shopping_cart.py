"""A shopping cart whose defaults are shared by every call (GCL001)."""
from collections import defaultdict


def add_item(item, cart=[]):
    """Add an item to a cart; without a cart argument every call shares one list."""
    cart.append(item)
    return cart


def tally(words, counts=defaultdict(int)):
    for word in words:
        counts[word] += 1
    return counts


class Order:
    def __init__(self, customer, lines: list = [], *, notes={}):
        self.customer = customer
        self.lines = lines
        self.notes = notes


def safe_add(item, cart=None):
    if cart is None:
        cart = []
    cart.append(item)
    return cart
