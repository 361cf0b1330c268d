"""kaohe: performance assessment as code.

Data flows load → validate → score → render → publish; each stage is a module (or package) of
its own under this one.
"""

__version__ = "0.1.0"
