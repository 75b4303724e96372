from typing import List, Optional, Dict
from abc import ABC, abstractmethod
import gc
class Shape(ABC):
    @abstractmethod
    def area(self) -> float:
        ...
class Sq(Shape):
    def __init__(self, side: float, tags: Optional[List[str]] = None) -> None:
        self.side = side
        self.tags: List[str] = tags or []
    def area(self) -> float:
        return self.side ** 2
registry: Dict[str, Shape] = {}
s = Sq(3.0)
registry["s"] = s
print(s.area(), s.tags, len(registry))
