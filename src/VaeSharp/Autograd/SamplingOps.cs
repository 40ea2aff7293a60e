namespace VaeSharp.Autograd;

/// <summary>The reparameterization trick.</summary>
public static class SamplingOps
{
    /// <summary>
    /// z = mu + exp(½·logVar)·eps, with logVar = log σ² and eps ~ N(0, I) drawn by the caller, so that the
    /// randomness stays outside the graph and gradients reach mu and logVar.
    /// </summary>
    public static Var Reparameterize(this Tape tape, Var mu, Var logVar, Var eps)
    {
        if (!mu.Shape.Equals(logVar.Shape) || !mu.Shape.Equals(eps.Shape))
            throw new ArgumentException($"Reparameterize: mu {mu.Shape}, logVar {logVar.Shape}, eps {eps.Shape} differ");
        var z = tape.NewTensor(mu.Shape);
        var std = tape.NewTensor(mu.Shape); // std: exp(½·logVar), kept for backward
        ReadOnlySpan<float> m = mu.Value.Span, lv = logVar.Value.Span, e = eps.Value.Span;
        Span<float> zs = z.Span, s = std.Span;
        for (int i = 0; i < zs.Length; i++)
        {
            s[i] = MathF.Exp(0.5f * lv[i]);
            zs[i] = m[i] + s[i] * e[i];
        }
        var output = tape.Output(z, mu.RequiresGrad || logVar.RequiresGrad);
        tape.Record(output, () =>
        {
            ReadOnlySpan<float> dz = output.Grad!.Span, stds = std.Span, es = eps.Value.Span;
            if (mu.RequiresGrad)
            {
                var dMu = tape.GradOf(mu).Span;
                System.Numerics.Tensors.TensorPrimitives.Add(dMu, dz, dMu);
            }
            if (logVar.RequiresGrad)
            {
                var dLogVar = tape.GradOf(logVar).Span;
                for (int i = 0; i < dLogVar.Length; i++) dLogVar[i] += dz[i] * es[i] * 0.5f * stds[i];
            }
        });
        return output;
    }
}
