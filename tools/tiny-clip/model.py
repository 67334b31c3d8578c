"""A small CLIP: a convolutional image tower and a causal-transformer text tower in one embedding space."""
import math

import torch
from torch import nn
import torch.nn.functional as F

VOCAB, CONTEXT = 49408, 77


class TextTower(nn.Module):
    """CLIP's text encoder in miniature: token + position embeddings, causal pre-LN transformer,
    final LayerNorm, the feature at the EOT token (highest id, as CLIP's argmax), linear projection."""

    def __init__(self, dim, width=64, layers=2, heads=4, token_rank=16):
        super().__init__()
        # Factorised token table (49408 x 16 then 16 -> width) keeps the committed model small.
        self.token_embedding = nn.Embedding(VOCAB, token_rank)
        self.token_up = nn.Linear(token_rank, width, bias=False)
        self.positional_embedding = nn.Parameter(torch.randn(CONTEXT, width) * 0.01)
        self.blocks = nn.ModuleList([Block(width, heads) for _ in range(layers)])
        self.ln_final = nn.LayerNorm(width)
        self.projection = nn.Linear(width, dim, bias=False)
        nn.init.normal_(self.token_embedding.weight, std=0.02)
        self.register_buffer("mask", torch.full((CONTEXT, CONTEXT), float("-inf")).triu(1), persistent=False)

    def forward(self, input_ids):
        length = input_ids.shape[1]
        x = self.token_up(self.token_embedding(input_ids)) + self.positional_embedding[:length]
        mask = self.mask[:length, :length]
        for block in self.blocks:
            x = block(x, mask)
        x = self.ln_final(x)
        eot = input_ids.argmax(dim=-1)
        x = x[torch.arange(x.shape[0]), eot]
        return self.projection(x)


class Block(nn.Module):
    def __init__(self, width, heads):
        super().__init__()
        self.heads = heads
        self.ln_1 = nn.LayerNorm(width)
        self.qkv = nn.Linear(width, 3 * width)
        self.out = nn.Linear(width, width)
        self.ln_2 = nn.LayerNorm(width)
        self.mlp = nn.Sequential(nn.Linear(width, 4 * width), nn.GELU(), nn.Linear(4 * width, width))

    def forward(self, x, mask):
        b, n, w = x.shape
        q, k, v = self.qkv(self.ln_1(x)).reshape(b, n, 3, self.heads, w // self.heads).permute(2, 0, 3, 1, 4)
        att = (q @ k.transpose(-2, -1)) / math.sqrt(w // self.heads) + mask
        y = (att.softmax(dim=-1) @ v).transpose(1, 2).reshape(b, n, w)
        x = x + self.out(y)
        return x + self.mlp(self.ln_2(x))


def _conv(cin, cout, k, s):
    return nn.Sequential(nn.Conv2d(cin, cout, k, s, padding=k // 2 if s == 1 else 0, bias=False),
                         nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class VisionTower(nn.Module):
    """A small CNN (CLIP also shipped ResNet image towers): 4x4 patchify stem, three 2x downsamplings
    to 7x7, global average pool, linear projection. Input: [B,3,224,224] normalised with CLIP's mean/std."""

    def __init__(self, dim, widths=(16, 32, 64, 128)):
        super().__init__()
        layers = [_conv(3, widths[0], 4, 4), _conv(widths[0], widths[0], 3, 1)]
        for cin, cout in zip(widths, widths[1:]):
            layers += [_conv(cin, cout, 2, 2), _conv(cout, cout, 3, 1)]
        self.features = nn.Sequential(*layers)
        self.projection = nn.Linear(widths[-1], dim, bias=False)

    def forward(self, pixel_values):
        return self.projection(self.features(pixel_values).mean(dim=(2, 3)))


class TinyClip(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.vision = VisionTower(dim)
        self.text = TextTower(dim)
        self.logit_scale = nn.Parameter(torch.tensor(math.log(1 / 0.07)))

    def forward(self, pixel_values, input_ids):
        img = F.normalize(self.vision(pixel_values), dim=-1)
        txt = F.normalize(self.text(input_ids), dim=-1)
        return img, txt, self.logit_scale.clamp(max=math.log(100)).exp()
