"""Multi-query associative recall (MQAR) with re-bound keys, made on the GPU.

A sequence of length T is a run of blocks of BLOCK tokens (BLOCK <= the
mixer's window). Each block binds PAIRS keys to values, then asks for them:

    k1 v1 k2 v2 ... k16 v16 | q1 w1 q2 w2 ... q16 w16 | next block ...
    \\_ 16 distinct keys,     \\_ the same 16 keys in a new order, each
       random values           followed by its value (w_j = v of q_j)

The loss (and accuracy) is taken only where the next token is an answer:
at each query key q_j, the target is w_j (chance: 1/VALUES). Keys and values
are drawn afresh in every block, so a key has often been bound to another
value in an earlier block (a quarter of the keys were in the block before,
some of those bindings inside the window): the right answer is the most
recent binding, within the last BLOCK - 2 positions. The decay x window
mask is built for this: the window bounds how far back a query looks, the
learned decay weights recent positions over older ones inside it.

Everything is drawn with a torch.Generator seeded from (seed, step), on the
device, so both mixers see the same batches in the same order.
"""

import torch

KEYS = 64           # key tokens 1 .. KEYS
VALUES = 64         # value tokens KEYS + 1 .. KEYS + VALUES
VOCAB = 1 + KEYS + VALUES   # token 0 is unused (no padding is needed)
PAIRS = 16          # bindings per block
BLOCK = 4 * PAIRS   # tokens per block: PAIRS pairs, then PAIRS query pairs


def batch(batch_size, seq_len, seed, step, device="cuda"):
    """Returns (tokens [b, T] int64, targets [b, T] int64 with -100 where
    there is no answer). seq_len must be a multiple of BLOCK."""
    if seq_len % BLOCK:
        raise ValueError(f"seq_len must be a multiple of {BLOCK}")
    gen = torch.Generator(device=device)
    gen.manual_seed(seed * 1_000_003 + step)
    nb = seq_len // BLOCK
    shape = (batch_size, nb)
    # PAIRS distinct keys per block, uniform values.
    keys = torch.rand(*shape, KEYS, generator=gen, device=device).argsort(
        dim=-1)[..., :PAIRS] + 1
    values = torch.randint(KEYS + 1, KEYS + VALUES + 1, (*shape, PAIRS),
                           generator=gen, device=device)
    # The queries: the block's keys in a new order, with their values.
    order = torch.rand(*shape, PAIRS, generator=gen, device=device).argsort(
        dim=-1)
    qkeys = keys.gather(-1, order)
    qvalues = values.gather(-1, order)
    bind = torch.stack([keys, values], dim=-1).flatten(-2)       # [b, nb, 2P]
    query = torch.stack([qkeys, qvalues], dim=-1).flatten(-2)
    tokens = torch.cat([bind, query], dim=-1).reshape(batch_size, seq_len)
    ignore = torch.full_like(qvalues, -100)
    answer = torch.stack([qvalues, ignore], dim=-1).flatten(-2)  # at each q
    targets = torch.cat([torch.full_like(bind, -100), answer], dim=-1)
    return tokens, targets.reshape(batch_size, seq_len)
