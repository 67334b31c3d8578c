"""OpenAI CLIP's ViT image tower and causal text tower, written for the real-size benchmark models (random weights).

The layout follows the CLIP paper's ViT-B models: the image is cut into patches by a stride-P convolution, a class
token and learned positions are added, ln_pre, pre-LN residual blocks (attention, then a 4x MLP with QuickGELU),
ln_post on the class token, a linear projection. The text tower embeds 49,408 BPE tokens at 77 positions, runs the
same blocks under a causal mask, ln_final, takes the feature at the end-of-text token (the highest id, hence argmax)
and projects it. Initialisation follows the paper's code (std width^-0.5 for attention, (2 width)^-0.5 for the MLP
input, shrunk by (2 layers)^-0.5 for the residual outputs), so activations keep a realistic scale.
"""
import math

import torch
from torch import nn

VOCAB, CONTEXT = 49408, 77
# patch size per architecture; everything else is shared by ViT-B/32 and ViT-B/16
ARCHS = {"b32": 32, "b16": 16}
SEED = 0


class QuickGELU(nn.Module):
    def forward(self, x):
        return x * torch.sigmoid(1.702 * x)


class Block(nn.Module):
    """x + attn(ln_1(x)), then x + mlp(ln_2(x)); q, k and v from one input projection as in CLIP's checkpoints."""

    def __init__(self, width, heads, layers):
        super().__init__()
        self.heads = heads
        self.ln_1 = nn.LayerNorm(width)
        self.in_proj = nn.Linear(width, 3 * width)
        self.out_proj = nn.Linear(width, width)
        self.ln_2 = nn.LayerNorm(width)
        self.c_fc = nn.Linear(width, 4 * width)
        self.gelu = QuickGELU()
        self.c_proj = nn.Linear(4 * width, width)
        residual_std = width ** -0.5 * (2 * layers) ** -0.5
        nn.init.normal_(self.in_proj.weight, std=width ** -0.5)
        nn.init.normal_(self.out_proj.weight, std=residual_std)
        nn.init.normal_(self.c_fc.weight, std=(2 * width) ** -0.5)
        nn.init.normal_(self.c_proj.weight, std=residual_std)
        for linear in (self.in_proj, self.out_proj):
            nn.init.zeros_(linear.bias)

    def forward(self, x, mask=None):
        b, n, w = x.shape
        q, k, v = self.in_proj(self.ln_1(x)).reshape(b, n, 3, self.heads, w // self.heads).permute(2, 0, 3, 1, 4)
        att = (q * (1.0 / math.sqrt(w // self.heads))) @ k.transpose(-2, -1)
        if mask is not None:
            att = att + mask
        y = (att.softmax(dim=-1) @ v).transpose(1, 2).reshape(b, n, w)
        x = x + self.out_proj(y)
        return x + self.c_proj(self.gelu(self.c_fc(self.ln_2(x))))


class VisionTower(nn.Module):
    def __init__(self, patch, width=768, layers=12, heads=12, dim=512, image=224):
        super().__init__()
        scale = width ** -0.5
        self.conv1 = nn.Conv2d(3, width, patch, patch, bias=False)
        self.class_embedding = nn.Parameter(scale * torch.randn(width))
        self.positional_embedding = nn.Parameter(scale * torch.randn((image // patch) ** 2 + 1, width))
        self.ln_pre = nn.LayerNorm(width)
        self.blocks = nn.ModuleList([Block(width, heads, layers) for _ in range(layers)])
        self.ln_post = nn.LayerNorm(width)
        self.proj = nn.Parameter(scale * torch.randn(width, dim))

    def forward(self, pixel_values):
        x = self.conv1(pixel_values).flatten(2).transpose(1, 2)
        cls = self.class_embedding.reshape(1, 1, -1).expand(x.shape[0], 1, x.shape[2])
        x = self.ln_pre(torch.cat([cls, x], dim=1) + self.positional_embedding)
        for block in self.blocks:
            x = block(x)
        return self.ln_post(x[:, 0]) @ self.proj


class TextTower(nn.Module):
    def __init__(self, width=512, layers=12, heads=8, dim=512):
        super().__init__()
        self.token_embedding = nn.Embedding(VOCAB, width)
        self.positional_embedding = nn.Parameter(torch.randn(CONTEXT, width) * 0.01)
        self.blocks = nn.ModuleList([Block(width, heads, layers) for _ in range(layers)])
        self.ln_final = nn.LayerNorm(width)
        self.text_projection = nn.Parameter(torch.randn(width, dim) * width ** -0.5)
        nn.init.normal_(self.token_embedding.weight, std=0.02)
        self.register_buffer("mask", torch.full((CONTEXT, CONTEXT), float("-inf")).triu(1), persistent=False)

    def forward(self, input_ids):
        length = input_ids.shape[1]
        x = self.token_embedding(input_ids) + self.positional_embedding[:length]
        mask = self.mask[:length, :length]
        for block in self.blocks:
            x = block(x, mask)
        x = self.ln_final(x)
        x = x[torch.arange(x.shape[0]), input_ids.argmax(dim=-1)]
        return x @ self.text_projection


class Clip(nn.Module):
    def __init__(self, arch):
        super().__init__()
        self.arch = arch
        self.visual = VisionTower(ARCHS[arch])
        self.text = TextTower()
        self.logit_scale = nn.Parameter(torch.tensor(math.log(1 / 0.07)))


def build(arch, seed=SEED):
    """The model every script of the benchmark uses: same architecture and seed, same weights."""
    torch.manual_seed(seed)
    return Clip(arch).eval()


def load(path):
    """The model make_vit_model.py saved beside its ONNX files (clip.pt: arch, seed and state dict)."""
    saved = torch.load(path, map_location="cpu")
    model = Clip(saved["arch"]).eval()
    model.load_state_dict(saved["state_dict"])
    return model
