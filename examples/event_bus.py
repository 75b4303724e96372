"""Listeners registered into a module-level list and never removed: they live until the process exits."""
import weakref

_listeners = []


def subscribe(callback, options=dict()):
    _listeners.append(callback)
    return options


class Widget:
    def __init__(self):
        self.on_click = self.handle_click  # bound method stored on self: a cycle
        subscribe(self.handle_click)

    def handle_click(self):
        pass

    def cleanup_later(self):
        weakref.finalize(self, self.close)  # the finalizer keeps self alive

    def close(self):
        pass
