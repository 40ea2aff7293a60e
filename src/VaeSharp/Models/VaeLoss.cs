using VaeSharp.Autograd;

namespace VaeSharp.Models;

/// <summary>A VAE's loss on a batch, each term a mean per example.</summary>
/// <param name="Total">Reconstruction + β·KL: what training minimises.</param>
/// <param name="Reconstruction">The reconstruction term.</param>
/// <param name="Kl">KL(q(z|x) ‖ N(0, I)), before weighting.</param>
public readonly record struct VaeLoss(Var Total, Var Reconstruction, Var Kl);
