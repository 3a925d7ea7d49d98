"""The registry every integration kind uses (national portal, payment gateways, notification channels): a plugin
class registers itself under a unique identifier with the `@register("id")` decorator; the kind's own registry
module lists its plugin modules and decides, from settings, which are enabled."""


class Registry:
    def __init__(self, kind="plugin"):
        self.kind = kind
        self._plugins = {}

    def __call__(self, identifier):
        def decorator(cls):
            if identifier in self._plugins:
                raise ValueError(f"{self.kind} {identifier!r} registered twice")
            cls.identifier = identifier
            self._plugins[identifier] = cls
            return cls
        return decorator

    def __contains__(self, identifier):
        return identifier in self._plugins

    def __iter__(self):
        return iter(self._plugins.items())

    def get(self, identifier):
        return self._plugins[identifier]()
