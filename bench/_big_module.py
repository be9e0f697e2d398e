"""Building blocks of a small config-driven vision model, in pure Python.

This module stands in for an OpenMMLab model file (``mmdet/models/backbones/resnet.py``,
``mmpretrain/models/backbones/swin_transformer.py`` and friends): helpers, layers, a
backbone, a neck, heads and losses, each with a docstring, in one file of well over a
thousand lines. It computes on nested lists instead of tensors so that it needs nothing
beyond the standard library.

The scopereg bench (``bench/bench.py``) registers :class:`Block`, the last class of this
file, and builds configs of hundreds to 10**5 of its instances. Anything that reads a
class's source (``inspect.getsourcelines`` parses the whole module to find a class before
Python 3.13) pays for every line above it: that is the cost the bench guards against.
Keep this file at least 1,000 lines long and :class:`Block` at its end.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

Vector = list[float]
Matrix = list[list[float]]
FeatureMap = list[Matrix]  # channels x height x width

# -- helpers -----------------------------------------------------------------------------


def to_2tuple(value: int | Sequence[int]) -> tuple[int, int]:
    """Return ``value`` as a pair: ``3`` becomes ``(3, 3)``, ``(3, 5)`` stays.

    Args:
        value: an int, or a sequence of two ints.

    Returns:
        A tuple of two ints.
    """
    if isinstance(value, int):
        return value, value
    first, second = value
    return int(first), int(second)


def make_divisible(
    value: float, divisor: int = 8, min_value: int | None = None, min_ratio: float = 0.9
) -> int:
    """Round ``value`` to the nearest multiple of ``divisor`` that keeps most of it.

    Used by MobileNet-style backbones to keep channel counts hardware friendly.

    Args:
        value: the channel count to round.
        divisor: the multiple to round to.
        min_value: the smallest result allowed; ``divisor`` by default.
        min_ratio: the rounded value must keep at least this share of ``value``.

    Returns:
        The rounded channel count.
    """
    floor = divisor if min_value is None else min_value
    rounded = max(floor, int(value + divisor / 2) // divisor * divisor)
    if rounded < min_ratio * value:
        rounded += divisor
    return rounded


def conv_output_size(size: int, kernel: int, stride: int = 1, padding: int = 0, dilation: int = 1) -> int:
    """The spatial size a convolution produces along one axis.

    Args:
        size: the input size along the axis.
        kernel: the kernel size.
        stride: the stride.
        padding: the padding added on each side.
        dilation: the spacing between kernel elements.

    Returns:
        The output size along the axis.
    """
    effective = dilation * (kernel - 1) + 1
    return (size + 2 * padding - effective) // stride + 1


def same_padding(kernel: int, dilation: int = 1) -> int:
    """The padding that keeps the size of a stride-1 convolution's output."""
    return dilation * (kernel - 1) // 2


def zeros(length: int) -> Vector:
    """A vector of ``length`` zeros."""
    return [0.0] * length


def ones(length: int) -> Vector:
    """A vector of ``length`` ones."""
    return [1.0] * length


def zeros_matrix(rows: int, columns: int) -> Matrix:
    """A ``rows`` x ``columns`` matrix of zeros (each row its own list)."""
    return [[0.0] * columns for _ in range(rows)]


def feature_map(channels: int, height: int, width: int, fill: float = 0.0) -> FeatureMap:
    """A feature map of the given shape, filled with ``fill``."""
    return [[[fill] * width for _ in range(height)] for _ in range(channels)]


def shape_of(features: FeatureMap) -> tuple[int, int, int]:
    """``(channels, height, width)`` of a feature map."""
    channels = len(features)
    height = len(features[0]) if channels else 0
    width = len(features[0][0]) if height else 0
    return channels, height, width


def dot(left: Sequence[float], right: Sequence[float]) -> float:
    """The dot product of two vectors of the same length."""
    return math.fsum(a * b for a, b in zip(left, right, strict=True))


def matvec(matrix: Matrix, vector: Sequence[float]) -> Vector:
    """The product of a matrix and a vector."""
    return [dot(row, vector) for row in matrix]


def add(left: Sequence[float], right: Sequence[float]) -> Vector:
    """Element-wise sum of two vectors."""
    return [a + b for a, b in zip(left, right, strict=True)]


def scale(vector: Sequence[float], factor: float) -> Vector:
    """Every element of ``vector`` times ``factor``."""
    return [value * factor for value in vector]


def mean(values: Sequence[float]) -> float:
    """The arithmetic mean; 0.0 for an empty sequence."""
    return math.fsum(values) / len(values) if values else 0.0


def variance(values: Sequence[float], center: float | None = None) -> float:
    """The population variance around ``center`` (the mean by default)."""
    if not values:
        return 0.0
    middle = mean(values) if center is None else center
    return math.fsum((value - middle) ** 2 for value in values) / len(values)


def normalize(values: Sequence[float], eps: float = 1e-5) -> Vector:
    """Shift to zero mean and scale to unit variance."""
    middle = mean(values)
    spread = math.sqrt(variance(values, middle) + eps)
    return [(value - middle) / spread for value in values]


def softmax(logits: Sequence[float]) -> Vector:
    """A numerically stable softmax."""
    if not logits:
        return []
    top = max(logits)
    exps = [math.exp(value - top) for value in logits]
    total = math.fsum(exps)
    return [value / total for value in exps]


def log_softmax(logits: Sequence[float]) -> Vector:
    """``log(softmax(logits))`` without the round trip through ``exp``."""
    if not logits:
        return []
    top = max(logits)
    log_total = top + math.log(math.fsum(math.exp(value - top) for value in logits))
    return [value - log_total for value in logits]


def sigmoid(value: float) -> float:
    """The logistic function, stable for large negative inputs."""
    if value >= 0:
        return 1.0 / (1.0 + math.exp(-value))
    exp = math.exp(value)
    return exp / (1.0 + exp)


def flatten(features: FeatureMap) -> Vector:
    """A feature map as one vector, channel by channel, row by row."""
    return [value for channel in features for row in channel for value in row]


def chunks(values: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    """Consecutive slices of ``values`` of length ``size`` (the last may be shorter)."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


def clamp(value: float, low: float, high: float) -> float:
    """``value`` limited to ``[low, high]``."""
    return max(low, min(high, value))


def interpolate_nearest(matrix: Matrix, height: int, width: int) -> Matrix:
    """Resize a matrix to ``height`` x ``width`` by nearest-neighbour sampling."""
    rows, columns = len(matrix), len(matrix[0]) if matrix else 0
    if not rows or not columns:
        return zeros_matrix(height, width)
    return [
        [
            matrix[min(rows - 1, r * rows // height)][min(columns - 1, c * columns // width)]
            for c in range(width)
        ]
        for r in range(height)
    ]


# -- initialisation ----------------------------------------------------------------------


def constant_values(count: int, value: float = 0.0) -> Vector:
    """``count`` copies of ``value``: what ``constant_init`` writes into a weight."""
    return [float(value)] * count


def uniform_values(count: int, low: float, high: float, rng: random.Random | None = None) -> Vector:
    """``count`` draws from ``U(low, high)``."""
    source = rng or random.Random(0)
    return [source.uniform(low, high) for _ in range(count)]


def normal_values(
    count: int, std: float = 1.0, mean_value: float = 0.0, rng: random.Random | None = None
) -> Vector:
    """``count`` draws from ``N(mean_value, std**2)``."""
    source = rng or random.Random(0)
    return [source.gauss(mean_value, std) for _ in range(count)]


def trunc_normal_values(
    count: int, std: float = 0.02, low: float = -2.0, high: float = 2.0, rng: random.Random | None = None
) -> Vector:
    """Draws from ``N(0, std**2)`` redrawn until they fall within ``[low, high]`` standard deviations."""
    source = rng or random.Random(0)
    drawn = []
    while len(drawn) < count:
        value = source.gauss(0.0, 1.0)
        if low <= value <= high:
            drawn.append(value * std)
    return drawn


def fan_in_and_out(shape: Sequence[int]) -> tuple[int, int]:
    """The fan-in and fan-out of a weight of the given shape (out, in, *kernel)."""
    if len(shape) < 2:
        raise ValueError(f"a weight needs at least two dimensions to have a fan, got shape {tuple(shape)}")
    receptive = math.prod(shape[2:]) if len(shape) > 2 else 1
    return shape[1] * receptive, shape[0] * receptive


def kaiming_uniform_values(
    shape: Sequence[int], gain: float = math.sqrt(2.0), rng: random.Random | None = None
) -> Vector:
    """He initialisation: ``U(-b, b)`` with ``b = gain * sqrt(3 / fan_in)``."""
    fan_in, _ = fan_in_and_out(shape)
    bound = gain * math.sqrt(3.0 / fan_in)
    return uniform_values(math.prod(shape), -bound, bound, rng)


def xavier_uniform_values(
    shape: Sequence[int], gain: float = 1.0, rng: random.Random | None = None
) -> Vector:
    """Glorot initialisation: ``U(-b, b)`` with ``b = gain * sqrt(6 / (fan_in + fan_out))``."""
    fan_in, fan_out = fan_in_and_out(shape)
    bound = gain * math.sqrt(6.0 / (fan_in + fan_out))
    return uniform_values(math.prod(shape), -bound, bound, rng)


def bias_init_with_prob(prior_prob: float) -> float:
    """The bias that makes a sigmoid output ``prior_prob`` at initialisation (RetinaNet)."""
    return -math.log((1 - prior_prob) / prior_prob)


INITIALIZERS: dict[str, Callable[..., Vector]] = {
    "constant": lambda shape, **kw: constant_values(math.prod(shape), kw.get("val", 0.0)),
    "normal": lambda shape, **kw: normal_values(math.prod(shape), kw.get("std", 1.0)),
    "trunc_normal": lambda shape, **kw: trunc_normal_values(math.prod(shape), kw.get("std", 0.02)),
    "kaiming": lambda shape, **kw: kaiming_uniform_values(shape),
    "xavier": lambda shape, **kw: xavier_uniform_values(shape, kw.get("gain", 1.0)),
}


# -- parameters and modules --------------------------------------------------------------


@dataclass
class Parameter:
    """A named, flat list of numbers with the shape it stands for.

    Attributes:
        shape: the logical shape, e.g. ``(out_channels, in_channels, 3, 3)``.
        data: ``prod(shape)`` numbers, row-major.
        requires_grad: whether an optimiser would update it.
    """

    shape: tuple[int, ...]
    data: Vector = field(default_factory=list)
    requires_grad: bool = True

    def __post_init__(self) -> None:
        if not self.data:
            self.data = zeros(math.prod(self.shape))

    @property
    def numel(self) -> int:
        """The number of elements."""
        return len(self.data)

    def fill_(self, values: Sequence[float]) -> Parameter:
        """Overwrite the data in place with ``values`` (same number of elements)."""
        if len(values) != self.numel:
            raise ValueError(f"cannot fill a parameter of {self.numel} elements with {len(values)} values")
        self.data[:] = values
        return self


class BaseModule:
    """The base of every layer in this file: children, parameters, ``init_cfg``.

    Mirrors ``mmengine.model.BaseModule`` closely enough for configs written for it:
    ``init_cfg`` describes how :meth:`init_weights` fills the parameters.

    Args:
        init_cfg: a dict such as ``dict(type="kaiming")`` or a list of them, or None.
    """

    def __init__(self, init_cfg: dict[str, Any] | list[dict[str, Any]] | None = None) -> None:
        self.init_cfg = init_cfg
        self.training = True
        self._params: dict[str, Parameter] = {}
        self._modules: dict[str, BaseModule] = {}
        self._initialized = False

    def add_module(self, name: str, module: BaseModule | None) -> None:
        """Register ``module`` as a child called ``name`` (None leaves a hole, as torch does)."""
        if module is not None:
            self._modules[name] = module

    def add_parameter(self, name: str, shape: Sequence[int]) -> Parameter:
        """Create a zero-filled parameter of ``shape`` called ``name``."""
        param = self._params[name] = Parameter(tuple(shape))
        return param

    def named_children(self) -> Iterator[tuple[str, BaseModule]]:
        """The direct children with their names."""
        yield from self._modules.items()

    def named_modules(self, prefix: str = "") -> Iterator[tuple[str, BaseModule]]:
        """This module and all below it, depth first, with dotted names."""
        yield prefix, self
        for name, child in self._modules.items():
            yield from child.named_modules(f"{prefix}.{name}" if prefix else name)

    def named_parameters(self, prefix: str = "") -> Iterator[tuple[str, Parameter]]:
        """Every parameter of this module and its descendants, with dotted names."""
        for module_name, module in self.named_modules(prefix):
            for name, param in module._params.items():
                yield (f"{module_name}.{name}" if module_name else name), param

    def num_parameters(self, trainable_only: bool = False) -> int:
        """The number of scalar parameters below this module."""
        return sum(p.numel for _, p in self.named_parameters() if p.requires_grad or not trainable_only)

    def train(self, mode: bool = True) -> BaseModule:
        """Switch this module and its descendants to training (or evaluation) mode."""
        for _, module in self.named_modules():
            module.training = mode
        return self

    def eval(self) -> BaseModule:
        """Switch to evaluation mode."""
        return self.train(False)

    def init_weights(self) -> None:
        """Fill the parameters as ``init_cfg`` says, then let the children do the same."""
        for cfg in _as_list(self.init_cfg):
            kind = cfg.get("type", "constant").lower()
            initializer = INITIALIZERS.get(kind)
            if initializer is None:
                raise KeyError(f"unknown initializer {kind!r}; known: {sorted(INITIALIZERS)}")
            options = {key: value for key, value in cfg.items() if key != "type"}
            for param in self._params.values():
                param.fill_(initializer(param.shape, **options))
        for _, child in self.named_children():
            child.init_weights()
        self._initialized = True

    def extra_repr(self) -> str:
        """Extra text for :meth:`__repr__`; subclasses describe their settings here."""
        return ""

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__}({self.extra_repr()}"]
        lines += [f"  ({name}): {child!r}".replace("\n", "\n  ") for name, child in self._modules.items()]
        return "\n".join(lines) + ")" if len(lines) > 1 else lines[0] + ")"

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.forward(*args, **kwargs)

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        """Compute the output; every layer overrides this."""
        raise NotImplementedError(f"{type(self).__name__} does not define forward()")


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


class Sequential(BaseModule):
    """Children applied one after the other.

    Args:
        *modules: the layers, in order.
    """

    def __init__(self, *modules: BaseModule) -> None:
        super().__init__()
        for index, module in enumerate(modules):
            self.add_module(str(index), module)

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[BaseModule]:
        return iter(self._modules.values())

    def forward(self, x: Any) -> Any:
        for module in self._modules.values():
            x = module(x)
        return x


class Identity(BaseModule):
    """Returns its input unchanged; a placeholder where a config switches a layer off."""

    def forward(self, x: Any) -> Any:
        return x


# -- activations -------------------------------------------------------------------------


class ReLU(BaseModule):
    """The rectified linear unit: ``max(0, x)``.

    Applied element-wise to a vector, a matrix or a feature map.

    Args:
        inplace: accepted for compatibility with torch configs; ignored.
    """

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def scalar(self, x: float) -> float:
        """The activation of one number."""
        return max(0.0, x)

    def forward(self, x: Any) -> Any:
        return apply_elementwise(self.scalar, x)


class ReLU6(BaseModule):
    """ReLU capped at 6, as in MobileNet: ``min(max(0, x), 6)``.

    Applied element-wise to a vector, a matrix or a feature map.

    Args:
        inplace: accepted for compatibility with torch configs; ignored.
    """

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def scalar(self, x: float) -> float:
        """The activation of one number."""
        return min(max(0.0, x), 6.0)

    def forward(self, x: Any) -> Any:
        return apply_elementwise(self.scalar, x)


class LeakyReLU(BaseModule):
    """A ReLU that lets ``negative_slope * x`` through below zero.

    Applied element-wise to a vector, a matrix or a feature map.

    Args:
        negative_slope: the slope below zero.
        inplace: accepted for compatibility with torch configs; ignored.
    """

    def __init__(self, negative_slope: float = 0.01, inplace: bool = False) -> None:
        super().__init__()
        self.negative_slope = negative_slope
        self.inplace = inplace

    def scalar(self, x: float) -> float:
        """The activation of one number."""
        return x if x >= 0 else self.negative_slope * x

    def forward(self, x: Any) -> Any:
        return apply_elementwise(self.scalar, x)

    def extra_repr(self) -> str:
        return f"negative_slope={self.negative_slope}"


class ELU(BaseModule):
    """The exponential linear unit: ``alpha * (exp(x) - 1)`` below zero.

    Applied element-wise to a vector, a matrix or a feature map.

    Args:
        alpha: the saturation value.
        inplace: accepted for compatibility with torch configs; ignored.
    """

    def __init__(self, alpha: float = 1.0, inplace: bool = False) -> None:
        super().__init__()
        self.alpha = alpha
        self.inplace = inplace

    def scalar(self, x: float) -> float:
        """The activation of one number."""
        return x if x > 0 else self.alpha * (math.exp(x) - 1.0)

    def forward(self, x: Any) -> Any:
        return apply_elementwise(self.scalar, x)

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}"


class GELU(BaseModule):
    """The Gaussian error linear unit, exact form: ``x * Phi(x)``.

    Applied element-wise to a vector, a matrix or a feature map.

    Args:
        inplace: accepted for compatibility with torch configs; ignored.
    """

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def scalar(self, x: float) -> float:
        """The activation of one number."""
        return 0.5 * x * (1.0 + math.erf(x / math.sqrt(2.0)))

    def forward(self, x: Any) -> Any:
        return apply_elementwise(self.scalar, x)


class SiLU(BaseModule):
    """The sigmoid linear unit (swish): ``x * sigmoid(x)``.

    Applied element-wise to a vector, a matrix or a feature map.

    Args:
        inplace: accepted for compatibility with torch configs; ignored.
    """

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def scalar(self, x: float) -> float:
        """The activation of one number."""
        return x * sigmoid(x)

    def forward(self, x: Any) -> Any:
        return apply_elementwise(self.scalar, x)


class HSigmoid(BaseModule):
    """The hard sigmoid of MobileNetV3: ``clamp((x + bias) / divisor, min_value, max_value)``.

    Applied element-wise to a vector, a matrix or a feature map.

    Args:
        bias: added before the division.
        divisor: the divisor.
        min_value: the lower bound.
        max_value: the upper bound.
        inplace: accepted for compatibility with torch configs; ignored.
    """

    def __init__(
        self,
        bias: float = 3.0,
        divisor: float = 6.0,
        min_value: float = 0.0,
        max_value: float = 1.0,
        inplace: bool = False,
    ) -> None:
        super().__init__()
        self.bias = bias
        self.divisor = divisor
        self.min_value = min_value
        self.max_value = max_value
        self.inplace = inplace

    def scalar(self, x: float) -> float:
        """The activation of one number."""
        return clamp((x + self.bias) / self.divisor, self.min_value, self.max_value)

    def forward(self, x: Any) -> Any:
        return apply_elementwise(self.scalar, x)

    def extra_repr(self) -> str:
        return (
            f"bias={self.bias}, divisor={self.divisor}, "
            f"min_value={self.min_value}, max_value={self.max_value}"
        )


class HSwish(BaseModule):
    """The hard swish of MobileNetV3: ``x * relu6(x + 3) / 6``.

    Applied element-wise to a vector, a matrix or a feature map.

    Args:
        inplace: accepted for compatibility with torch configs; ignored.
    """

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def scalar(self, x: float) -> float:
        """The activation of one number."""
        return x * min(max(0.0, x + 3.0), 6.0) / 6.0

    def forward(self, x: Any) -> Any:
        return apply_elementwise(self.scalar, x)


class Mish(BaseModule):
    """Mish: ``x * tanh(softplus(x))``.

    Applied element-wise to a vector, a matrix or a feature map.

    Args:
        inplace: accepted for compatibility with torch configs; ignored.
    """

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def scalar(self, x: float) -> float:
        """The activation of one number."""
        return x * math.tanh(math.log1p(math.exp(-abs(x))) + max(x, 0.0))

    def forward(self, x: Any) -> Any:
        return apply_elementwise(self.scalar, x)


class Softplus(BaseModule):
    """A smooth ReLU: ``log(1 + exp(beta * x)) / beta``, linear above ``threshold``.

    Applied element-wise to a vector, a matrix or a feature map.

    Args:
        beta: the sharpness.
        threshold: where it turns linear.
        inplace: accepted for compatibility with torch configs; ignored.
    """

    def __init__(self, beta: float = 1.0, threshold: float = 20.0, inplace: bool = False) -> None:
        super().__init__()
        self.beta = beta
        self.threshold = threshold
        self.inplace = inplace

    def scalar(self, x: float) -> float:
        """The activation of one number."""
        return x if self.beta * x > self.threshold else math.log1p(math.exp(self.beta * x)) / self.beta

    def forward(self, x: Any) -> Any:
        return apply_elementwise(self.scalar, x)

    def extra_repr(self) -> str:
        return f"beta={self.beta}, threshold={self.threshold}"


class Sigmoid(BaseModule):
    """The logistic function.

    Applied element-wise to a vector, a matrix or a feature map.

    Args:
        inplace: accepted for compatibility with torch configs; ignored.
    """

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def scalar(self, x: float) -> float:
        """The activation of one number."""
        return sigmoid(x)

    def forward(self, x: Any) -> Any:
        return apply_elementwise(self.scalar, x)


#: Activations by the lower-case names that ``act_cfg=dict(type=...)`` uses in configs.
ACTIVATIONS: dict[str, type[BaseModule]] = {
    "relu": ReLU,
    "relu6": ReLU6,
    "leakyrelu": LeakyReLU,
    "elu": ELU,
    "gelu": GELU,
    "silu": SiLU,
    "hsigmoid": HSigmoid,
    "hswish": HSwish,
    "mish": Mish,
    "softplus": Softplus,
    "sigmoid": Sigmoid,
}


def build_activation(cfg: dict[str, Any] | None) -> BaseModule:
    """The activation ``cfg`` describes (``dict(type="ReLU", inplace=True)``); Identity for None."""
    if cfg is None:
        return Identity()
    options = dict(cfg)
    kind = str(options.pop("type")).lower()
    if kind not in ACTIVATIONS:
        raise KeyError(f"unknown activation {kind!r}; known: {sorted(ACTIVATIONS)}")
    return ACTIVATIONS[kind](**options)


def apply_elementwise(function: Callable[[float], float], x: Any) -> Any:
    """``function`` applied to every number in ``x`` (a number or nested lists of them)."""
    if isinstance(x, list):
        return [apply_elementwise(function, item) for item in x]
    return function(x)


# -- layers ------------------------------------------------------------------------------


class Linear(BaseModule):
    """A fully connected layer: ``y = W x + b``.

    Args:
        in_features: the length of the input vector.
        out_features: the length of the output vector.
        bias: whether to add a learned bias.
        init_cfg: how :meth:`init_weights` fills the weight.
    """

    def __init__(
        self, in_features: int, out_features: int, bias: bool = True, init_cfg: dict[str, Any] | None = None
    ) -> None:
        super().__init__(init_cfg or {"type": "xavier"})
        self.in_features = in_features
        self.out_features = out_features
        self.weight = self.add_parameter("weight", (out_features, in_features))
        self.bias = self.add_parameter("bias", (out_features,)) if bias else None

    def forward(self, x: Sequence[float]) -> Vector:
        rows = [
            self.weight.data[i * self.in_features : (i + 1) * self.in_features]
            for i in range(self.out_features)
        ]
        out = matvec(rows, x)
        return add(out, self.bias.data) if self.bias is not None else out

    def extra_repr(self) -> str:
        return (
            f"in_features={self.in_features}, out_features={self.out_features}, bias={self.bias is not None}"
        )


class Conv2d(BaseModule):
    """A 2-D convolution over a feature map, computed the slow and obvious way.

    Args:
        in_channels: channels of the input.
        out_channels: channels of the output.
        kernel_size: the kernel size (an int or a pair).
        stride: the stride (an int or a pair).
        padding: zero padding on each side (an int or a pair).
        dilation: spacing between kernel elements.
        groups: split the channels into this many independent groups.
        bias: whether to add a learned bias per output channel.
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int | Sequence[int] = 3,
        stride: int | Sequence[int] = 1,
        padding: int | Sequence[int] = 0,
        *,
        dilation: int = 1,
        groups: int = 1,
        bias: bool = True,
    ) -> None:
        super().__init__({"type": "kaiming"})
        if in_channels % groups or out_channels % groups:
            raise ValueError(
                f"channels ({in_channels} -> {out_channels}) must be divisible by groups={groups}"
            )
        self.in_channels, self.out_channels = in_channels, out_channels
        self.kernel_size, self.stride, self.padding = (
            to_2tuple(kernel_size),
            to_2tuple(stride),
            to_2tuple(padding),
        )
        self.dilation, self.groups = dilation, groups
        kh, kw = self.kernel_size
        self.weight = self.add_parameter("weight", (out_channels, in_channels // groups, kh, kw))
        self.bias = self.add_parameter("bias", (out_channels,)) if bias else None

    def _weight_at(self, out_channel: int, in_channel: int, row: int, column: int) -> float:
        kh, kw = self.kernel_size
        per_group = self.in_channels // self.groups
        return self.weight.data[((out_channel * per_group + in_channel) * kh + row) * kw + column]

    def forward(self, x: FeatureMap) -> FeatureMap:
        channels, height, width = shape_of(x)
        if channels != self.in_channels:
            raise ValueError(f"expected {self.in_channels} input channels, got {channels}")
        (kh, kw), (sh, sw), (ph, pw) = self.kernel_size, self.stride, self.padding
        out_h = conv_output_size(height, kh, sh, ph, self.dilation)
        out_w = conv_output_size(width, kw, sw, pw, self.dilation)
        per_in, per_out = self.in_channels // self.groups, self.out_channels // self.groups
        out = feature_map(self.out_channels, out_h, out_w)
        for oc in range(self.out_channels):
            first = (oc // per_out) * per_in
            bias = self.bias.data[oc] if self.bias is not None else 0.0
            for i in range(out_h):
                for j in range(out_w):
                    total = bias
                    for ic in range(per_in):
                        for r in range(kh):
                            y = i * sh - ph + r * self.dilation
                            if not 0 <= y < height:
                                continue
                            for c in range(kw):
                                xx = j * sw - pw + c * self.dilation
                                if 0 <= xx < width:
                                    total += self._weight_at(oc, ic, r, c) * x[first + ic][y][xx]
                    out[oc][i][j] = total
        return out

    def extra_repr(self) -> str:
        return (
            f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
            f"stride={self.stride}, padding={self.padding}, groups={self.groups}"
        )


class BatchNorm2d(BaseModule):
    """Batch normalisation of a feature map, with running statistics.

    Args:
        num_features: channels of the input.
        eps: added to the variance before the square root.
        momentum: the weight of a new batch in the running statistics.
        affine: whether to learn a scale and shift per channel.
    """

    def __init__(
        self, num_features: int, eps: float = 1e-5, momentum: float = 0.1, affine: bool = True
    ) -> None:
        super().__init__({"type": "constant", "val": 1.0})
        self.num_features, self.eps, self.momentum, self.affine = num_features, eps, momentum, affine
        self.running_mean = zeros(num_features)
        self.running_var = ones(num_features)
        self.weight = self.add_parameter("weight", (num_features,)) if affine else None
        self.bias = self.add_parameter("bias", (num_features,)) if affine else None

    def forward(self, x: FeatureMap) -> FeatureMap:
        out = []
        for channel, plane in enumerate(x):
            values = [value for row in plane for value in row]
            if self.training:
                center, spread = mean(values), variance(values)
                self.running_mean[channel] += self.momentum * (center - self.running_mean[channel])
                self.running_var[channel] += self.momentum * (spread - self.running_var[channel])
            else:
                center, spread = self.running_mean[channel], self.running_var[channel]
            gamma = self.weight.data[channel] if self.weight is not None else 1.0
            beta = self.bias.data[channel] if self.bias is not None else 0.0
            denominator = math.sqrt(spread + self.eps)
            out.append([[(value - center) / denominator * gamma + beta for value in row] for row in plane])
        return out

    def extra_repr(self) -> str:
        return f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, affine={self.affine}"


class LayerNorm(BaseModule):
    """Layer normalisation over the last dimension of a vector or of each row of a matrix.

    Args:
        normalized_shape: the length of the normalised dimension.
        eps: added to the variance before the square root.
    """

    def __init__(self, normalized_shape: int, eps: float = 1e-6) -> None:
        super().__init__({"type": "constant", "val": 1.0})
        self.normalized_shape, self.eps = normalized_shape, eps
        self.weight = self.add_parameter("weight", (normalized_shape,))
        self.bias = self.add_parameter("bias", (normalized_shape,))

    def forward(self, x: Any) -> Any:
        if x and isinstance(x[0], list):
            return [self.forward(row) for row in x]
        normed = normalize(x, self.eps)
        return [value * g + b for value, g, b in zip(normed, self.weight.data, self.bias.data, strict=True)]


NORMS: dict[str, type[BaseModule]] = {"bn": BatchNorm2d, "ln": LayerNorm}


def build_norm(cfg: dict[str, Any] | None, num_features: int) -> BaseModule:
    """The normalisation ``cfg`` describes (``dict(type="BN")``) for ``num_features`` channels."""
    if cfg is None:
        return Identity()
    options = dict(cfg)
    kind = str(options.pop("type")).lower()
    options.pop("requires_grad", None)
    if kind not in NORMS:
        raise KeyError(f"unknown norm layer {kind!r}; known: {sorted(NORMS)}")
    return NORMS[kind](num_features, **options)


class Dropout(BaseModule):
    """Zero each element with probability ``p`` while training, scaling the rest by ``1 / (1 - p)``.

    Args:
        p: the probability of dropping an element.
        seed: the seed of the generator that picks what to drop.
    """

    def __init__(self, p: float = 0.5, seed: int = 0) -> None:
        super().__init__()
        if not 0.0 <= p < 1.0:
            raise ValueError(f"dropout probability must be in [0, 1), got {p}")
        self.p = p
        self._rng = random.Random(seed)

    def scalar(self, x: float) -> float:
        """Drop or scale one number."""
        return 0.0 if self._rng.random() < self.p else x / (1.0 - self.p)

    def forward(self, x: Any) -> Any:
        if not self.training or self.p == 0.0:
            return x
        return apply_elementwise(self.scalar, x)


class DropPath(BaseModule):
    """Stochastic depth: drop a whole residual branch with probability ``drop_prob``.

    Args:
        drop_prob: the probability of dropping the branch for a sample.
        seed: the seed of the generator.
    """

    def __init__(self, drop_prob: float = 0.1, seed: int = 0) -> None:
        super().__init__()
        self.drop_prob = drop_prob
        self._rng = random.Random(seed)

    def forward(self, x: Any) -> Any:
        if not self.training or self.drop_prob == 0.0:
            return x
        if self._rng.random() < self.drop_prob:
            return apply_elementwise(lambda value: 0.0, x)
        return apply_elementwise(lambda value: value / (1.0 - self.drop_prob), x)


class MaxPool2d(BaseModule):
    """The maximum over each window of a feature map.

    Args:
        kernel_size: the window size.
        stride: the step between windows; the window size by default.
        padding: padding (with minus infinity) on each side.
    """

    def __init__(self, kernel_size: int = 2, stride: int | None = None, padding: int = 0) -> None:
        super().__init__()
        self.kernel_size, self.stride, self.padding = kernel_size, stride or kernel_size, padding

    def forward(self, x: FeatureMap) -> FeatureMap:
        _, height, width = shape_of(x)
        k, s, p = self.kernel_size, self.stride, self.padding
        out_h, out_w = conv_output_size(height, k, s, p), conv_output_size(width, k, s, p)
        out = []
        for plane in x:
            rows = []
            for i in range(out_h):
                row = []
                for j in range(out_w):
                    window = [
                        plane[y][xx]
                        for y in range(i * s - p, i * s - p + k)
                        for xx in range(j * s - p, j * s - p + k)
                        if 0 <= y < height and 0 <= xx < width
                    ]
                    row.append(max(window) if window else -math.inf)
                rows.append(row)
            out.append(rows)
        return out


class AdaptiveAvgPool2d(BaseModule):
    """Average each channel down to ``output_size`` x ``output_size`` cells.

    Args:
        output_size: the side of the output grid (1 gives global average pooling).
    """

    def __init__(self, output_size: int = 1) -> None:
        super().__init__()
        self.output_size = output_size

    def forward(self, x: FeatureMap) -> FeatureMap:
        _, height, width = shape_of(x)
        n = self.output_size
        out = []
        for plane in x:
            grid = []
            for i in range(n):
                top, bottom = i * height // n, max((i + 1) * height // n, i * height // n + 1)
                row = []
                for j in range(n):
                    left, right = j * width // n, max((j + 1) * width // n, j * width // n + 1)
                    row.append(mean([plane[y][xx] for y in range(top, bottom) for xx in range(left, right)]))
                grid.append(row)
            out.append(grid)
        return out


# -- composite layers --------------------------------------------------------------------


class ConvModule(BaseModule):
    """Convolution, normalisation and activation in the order ``conv -> norm -> act``.

    Args:
        in_channels: channels of the input.
        out_channels: channels of the output.
        kernel_size: the convolution's kernel size.
        stride: the convolution's stride.
        padding: the convolution's padding.
        norm_cfg: the normalisation, e.g. ``dict(type="BN")``; None for none.
        act_cfg: the activation, e.g. ``dict(type="ReLU")``; None for none.
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int = 3,
        stride: int = 1,
        padding: int | None = None,
        *,
        norm_cfg: dict[str, Any] | None = None,
        act_cfg: dict[str, Any] | None = None,
    ) -> None:
        super().__init__()
        pad = same_padding(kernel_size) if padding is None else padding
        self.conv = Conv2d(in_channels, out_channels, kernel_size, stride, pad, bias=norm_cfg is None)
        self.norm = build_norm(norm_cfg, out_channels)
        self.act = build_activation(act_cfg if act_cfg is not None else {"type": "ReLU"})
        for name in ("conv", "norm", "act"):
            self.add_module(name, getattr(self, name))

    def forward(self, x: FeatureMap) -> FeatureMap:
        return self.act(self.norm(self.conv(x)))


class BasicBlock(BaseModule):
    """The two-convolution residual block of ResNet-18 and ResNet-34.

    Args:
        in_channels: channels of the input.
        out_channels: channels of the output.
        stride: the stride of the first convolution.
        downsample: the layer that matches the shortcut's shape, if it must.
        norm_cfg: the normalisation of both convolutions.
        drop_path_rate: the stochastic-depth rate of the residual branch.
    """

    expansion = 1

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        stride: int = 1,
        downsample: BaseModule | None = None,
        *,
        norm_cfg: dict[str, Any] | None = None,
        drop_path_rate: float = 0.0,
    ) -> None:
        super().__init__()
        norm = norm_cfg or {"type": "BN"}
        self.conv1 = ConvModule(in_channels, out_channels, 3, stride, norm_cfg=norm)
        self.conv2 = ConvModule(out_channels, out_channels, 3, 1, norm_cfg=norm, act_cfg={"type": "Identity"})
        self.downsample = downsample
        self.drop_path = DropPath(drop_path_rate) if drop_path_rate > 0 else Identity()
        self.relu = ReLU()
        for name in ("conv1", "conv2", "downsample", "drop_path", "relu"):
            self.add_module(name, getattr(self, name))

    def forward(self, x: FeatureMap) -> FeatureMap:
        identity = x if self.downsample is None else self.downsample(x)
        out = self.drop_path(self.conv2(self.conv1(x)))
        summed = [
            [add(a, b) for a, b in zip(pa, pb, strict=True)] for pa, pb in zip(out, identity, strict=True)
        ]
        return self.relu(summed)


class Bottleneck(BaseModule):
    """The 1x1 -> 3x3 -> 1x1 residual block of ResNet-50 and deeper.

    Args:
        in_channels: channels of the input.
        out_channels: channels of the output (four times the inner width).
        stride: the stride of the 3x3 convolution (the "pytorch" style of ResNet).
        downsample: the layer that matches the shortcut's shape, if it must.
        norm_cfg: the normalisation of the three convolutions.
        groups: groups of the 3x3 convolution (ResNeXt uses 32).
    """

    expansion = 4

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        stride: int = 1,
        downsample: BaseModule | None = None,
        *,
        norm_cfg: dict[str, Any] | None = None,
        groups: int = 1,
    ) -> None:
        super().__init__()
        norm = norm_cfg or {"type": "BN"}
        inner = out_channels // self.expansion
        self.conv1 = ConvModule(in_channels, inner, 1, norm_cfg=norm)
        self.conv2 = ConvModule(inner, inner, 3, stride, norm_cfg=norm)
        self.conv3 = ConvModule(inner, out_channels, 1, norm_cfg=norm, act_cfg={"type": "Identity"})
        self.downsample = downsample
        self.groups = groups
        for name in ("conv1", "conv2", "conv3", "downsample"):
            self.add_module(name, getattr(self, name))

    def forward(self, x: FeatureMap) -> FeatureMap:
        identity = x if self.downsample is None else self.downsample(x)
        out = self.conv3(self.conv2(self.conv1(x)))
        summed = [
            [add(a, b) for a, b in zip(pa, pb, strict=True)] for pa, pb in zip(out, identity, strict=True)
        ]
        return apply_elementwise(lambda value: max(0.0, value), summed)


ACTIVATIONS["identity"] = Identity


def make_res_layer(
    block: type[BasicBlock | Bottleneck],
    num_blocks: int,
    in_channels: int,
    out_channels: int,
    stride: int = 1,
) -> Sequential:
    """A stage of ``num_blocks`` residual blocks; the first one changes shape if needed."""
    downsample = None
    if stride != 1 or in_channels != out_channels:
        downsample = ConvModule(
            in_channels, out_channels, 1, stride, norm_cfg={"type": "BN"}, act_cfg={"type": "Identity"}
        )
    layers = [block(in_channels, out_channels, stride, downsample)]
    layers += [block(out_channels, out_channels) for _ in range(1, num_blocks)]
    return Sequential(*layers)


@dataclass(frozen=True)
class StageSpec:
    """How one ResNet stage is shaped: its block, how many, and its output width."""

    block: type[BasicBlock | Bottleneck]
    num_blocks: int
    out_channels: int
    stride: int


RESNET_ARCHS: dict[int, tuple[type[BasicBlock | Bottleneck], tuple[int, ...]]] = {
    18: (BasicBlock, (2, 2, 2, 2)),
    34: (BasicBlock, (3, 4, 6, 3)),
    50: (Bottleneck, (3, 4, 6, 3)),
    101: (Bottleneck, (3, 4, 23, 3)),
    152: (Bottleneck, (3, 8, 36, 3)),
}


class ResNet(BaseModule):
    """A residual network backbone returning the feature maps of the stages it is asked for.

    Args:
        depth: 18, 34, 50, 101 or 152.
        in_channels: channels of the input image.
        base_channels: the width of the stem; stage ``i`` is ``base * 2**i`` (times the expansion).
        out_indices: the stages whose outputs :meth:`forward` returns.
        frozen_stages: the stages (stem = 0) whose parameters stop requiring gradients.
        norm_cfg: the normalisation of every convolution.
    """

    def __init__(
        self,
        depth: int = 50,
        in_channels: int = 3,
        base_channels: int = 64,
        *,
        out_indices: Sequence[int] = (0, 1, 2, 3),
        frozen_stages: int = -1,
        norm_cfg: dict[str, Any] | None = None,
    ) -> None:
        super().__init__()
        if depth not in RESNET_ARCHS:
            raise KeyError(f"invalid depth {depth} for ResNet; choose from {sorted(RESNET_ARCHS)}")
        self.depth, self.out_indices, self.frozen_stages = depth, tuple(out_indices), frozen_stages
        block, counts = RESNET_ARCHS[depth]
        self.stem = ConvModule(in_channels, base_channels, 7, 2, 3, norm_cfg=norm_cfg or {"type": "BN"})
        self.maxpool = MaxPool2d(3, 2, 1)
        self.add_module("stem", self.stem)
        self.add_module("maxpool", self.maxpool)
        self.specs = [
            StageSpec(block, count, base_channels * 2**index * block.expansion, 1 if index == 0 else 2)
            for index, count in enumerate(counts)
        ]
        width = base_channels
        self.stages: list[Sequential] = []
        for index, spec in enumerate(self.specs):
            stage = make_res_layer(spec.block, spec.num_blocks, width, spec.out_channels, spec.stride)
            self.add_module(f"layer{index + 1}", stage)
            self.stages.append(stage)
            width = spec.out_channels
        self._freeze_stages()

    @property
    def out_channels(self) -> list[int]:
        """Channels of each returned feature map."""
        return [self.specs[index].out_channels for index in self.out_indices]

    def _freeze_stages(self) -> None:
        frozen: list[BaseModule] = [self.stem] if self.frozen_stages >= 0 else []
        frozen += self.stages[: max(0, self.frozen_stages)]
        for module in frozen:
            for _, param in module.named_parameters():
                param.requires_grad = False

    def forward(self, x: FeatureMap) -> list[FeatureMap]:
        x = self.maxpool(self.stem(x))
        outs = []
        for index, stage in enumerate(self.stages):
            x = stage(x)
            if index in self.out_indices:
                outs.append(x)
        return outs


class FPN(BaseModule):
    """The feature pyramid network neck: lateral 1x1 convolutions and a top-down pathway.

    Args:
        in_channels: channels of each input level, finest first.
        out_channels: channels of every output level.
        num_outs: how many levels to return (extra levels come from max pooling).
    """

    def __init__(self, in_channels: Sequence[int], out_channels: int = 256, num_outs: int = 5) -> None:
        super().__init__()
        if num_outs < len(in_channels):
            raise ValueError(f"num_outs={num_outs} is fewer than the {len(in_channels)} input levels")
        self.in_channels, self.out_channels, self.num_outs = list(in_channels), out_channels, num_outs
        self.lateral_convs = [
            ConvModule(c, out_channels, 1, act_cfg={"type": "Identity"}) for c in in_channels
        ]
        self.fpn_convs = [
            ConvModule(out_channels, out_channels, 3, act_cfg={"type": "Identity"}) for _ in in_channels
        ]
        for index, (lateral, fpn) in enumerate(zip(self.lateral_convs, self.fpn_convs, strict=True)):
            self.add_module(f"lateral_convs.{index}", lateral)
            self.add_module(f"fpn_convs.{index}", fpn)

    def forward(self, inputs: Sequence[FeatureMap]) -> list[FeatureMap]:
        laterals = [conv(x) for conv, x in zip(self.lateral_convs, inputs, strict=True)]
        for index in range(len(laterals) - 1, 0, -1):
            _, height, width = shape_of(laterals[index - 1])
            upsampled = [interpolate_nearest(plane, height, width) for plane in laterals[index]]
            laterals[index - 1] = [
                [add(a, b) for a, b in zip(pa, pb, strict=True)]
                for pa, pb in zip(laterals[index - 1], upsampled, strict=True)
            ]
        outs = [conv(x) for conv, x in zip(self.fpn_convs, laterals, strict=True)]
        pool = MaxPool2d(1, 2)
        while len(outs) < self.num_outs:
            outs.append(pool(outs[-1]))
        return outs


# -- heads and losses --------------------------------------------------------------------


class LinearClsHead(BaseModule):
    """A classification head: global average pooling, then one linear layer.

    Args:
        num_classes: the number of categories.
        in_channels: channels of the last feature map.
        topk: the accuracies :meth:`accuracy` reports.
    """

    def __init__(self, num_classes: int, in_channels: int, topk: Sequence[int] = (1, 5)) -> None:
        super().__init__()
        if num_classes <= 0:
            raise ValueError(f"num_classes={num_classes} must be a positive integer")
        self.num_classes, self.in_channels, self.topk = num_classes, in_channels, tuple(topk)
        self.pool = AdaptiveAvgPool2d(1)
        self.fc = Linear(in_channels, num_classes, init_cfg={"type": "normal", "std": 0.01})
        self.add_module("pool", self.pool)
        self.add_module("fc", self.fc)

    def forward(self, feats: Sequence[FeatureMap]) -> Vector:
        pooled = flatten(self.pool(feats[-1]))
        return self.fc(pooled)

    def accuracy(self, scores: Sequence[Vector], labels: Sequence[int]) -> dict[str, float]:
        """Top-k accuracy, in percent, for every k of :attr:`topk`."""
        results = {}
        for k in self.topk:
            hits = 0
            for row, label in zip(scores, labels, strict=True):
                ranked = sorted(range(len(row)), key=row.__getitem__, reverse=True)
                hits += label in ranked[:k]
            results[f"top{k}"] = 100.0 * hits / max(1, len(labels))
        return results


def reduce_loss(values: Sequence[float], reduction: str) -> float | Vector:
    """Apply ``reduction`` (``"none"``, ``"mean"`` or ``"sum"``) to element-wise losses."""
    if reduction == "none":
        return list(values)
    if reduction == "sum":
        return math.fsum(values)
    if reduction == "mean":
        return mean(values)
    raise ValueError(f"reduction must be 'none', 'mean' or 'sum', got {reduction!r}")


class CrossEntropyLoss(BaseModule):
    """Softmax cross entropy, with optional label smoothing and class weights.

    Args:
        reduction: ``"none"``, ``"mean"`` or ``"sum"``.
        loss_weight: the factor applied to the reduced loss.
        label_smoothing: the share of probability spread evenly over all classes.
        class_weight: one weight per class, or None.
    """

    def __init__(
        self,
        reduction: str = "mean",
        loss_weight: float = 1.0,
        label_smoothing: float = 0.0,
        class_weight: Sequence[float] | None = None,
    ) -> None:
        super().__init__()
        self.reduction, self.loss_weight = reduction, loss_weight
        self.label_smoothing = label_smoothing
        self.class_weight = list(class_weight) if class_weight is not None else None

    def forward(self, scores: Sequence[Vector], labels: Sequence[int]) -> float | Vector:
        losses = []
        for row, label in zip(scores, labels, strict=True):
            log_probs = log_softmax(row)
            smooth = self.label_smoothing / len(row)
            target = [smooth + (1.0 - self.label_smoothing) * (index == label) for index in range(len(row))]
            loss = -math.fsum(t * lp for t, lp in zip(target, log_probs, strict=True))
            losses.append(loss * (self.class_weight[label] if self.class_weight else 1.0))
        reduced = reduce_loss(losses, self.reduction)
        return (
            [v * self.loss_weight for v in reduced]
            if isinstance(reduced, list)
            else reduced * self.loss_weight
        )


class SmoothL1Loss(BaseModule):
    """The Huber-like loss of box regression: quadratic below ``beta``, linear above.

    Args:
        beta: where the loss turns from quadratic to linear.
        reduction: ``"none"``, ``"mean"`` or ``"sum"``.
        loss_weight: the factor applied to the reduced loss.
    """

    def __init__(self, beta: float = 1.0, reduction: str = "mean", loss_weight: float = 1.0) -> None:
        super().__init__()
        self.beta, self.reduction, self.loss_weight = beta, reduction, loss_weight

    def forward(self, preds: Sequence[float], targets: Sequence[float]) -> float | Vector:
        losses = []
        for pred, target in zip(preds, targets, strict=True):
            diff = abs(pred - target)
            losses.append(0.5 * diff * diff / self.beta if diff < self.beta else diff - 0.5 * self.beta)
        reduced = reduce_loss(losses, self.reduction)
        return (
            [v * self.loss_weight for v in reduced]
            if isinstance(reduced, list)
            else reduced * self.loss_weight
        )


# -- the block the bench builds ----------------------------------------------------------


class Block(BaseModule):
    """A generic stage of a config-driven model: a width, and the blocks it contains.

    Configs nest it to any depth; a recursive build constructs the children first and
    passes them in as a list, as OpenMMLab configs pass built submodules::

        dict(type="Block", width=64, children=[dict(type="Block", width=32), ...])

    Args:
        width: the channels of this stage.
        children: the blocks inside this one, already built.
        expansion: the ratio of output to inner width.
        act: the name of the activation between children.
        init_cfg: how :meth:`init_weights` fills the parameters.
    """

    def __init__(
        self,
        width: int = 64,
        children: Sequence[Block] | None = None,
        expansion: int = 1,
        act: str = "relu",
        init_cfg: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(init_cfg)
        self.width = width
        self.expansion = expansion
        self.act = act
        self.blocks = list(children) if children is not None else []

    @property
    def out_channels(self) -> int:
        """The channels this block produces."""
        return self.width * self.expansion

    def count(self) -> int:
        """The number of blocks in this subtree, this one included."""
        return 1 + sum(block.count() for block in self.blocks)

    def forward(self, x: Any) -> Any:
        for block in self.blocks:
            x = block(x)
        return apply_elementwise(ACTIVATIONS[self.act]().scalar, x)

    def extra_repr(self) -> str:
        return f"width={self.width}, expansion={self.expansion}, act={self.act!r}, blocks={len(self.blocks)}"
