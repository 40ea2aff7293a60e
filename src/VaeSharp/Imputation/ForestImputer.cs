using VaeSharp.Tensors;

namespace VaeSharp.Imputation;

/// <summary>
/// missForest-style imputation (Stekhoven and Bühlmann 2012, as scikit-learn's IterativeImputer with an
/// ExtraTreesRegressor): the <see cref="ColumnChain"/> loop with an <see cref="ExtraTrees"/> ensemble as each column's
/// regression. A category's one-hot columns are regressed one by one (never from their own block) and the block's
/// largest prediction is its category, as for the other methods. A missing cell gets the mean of its predictions over
/// the rounds after the first, not the last round's alone: each round's trees are a fresh random ensemble fitted to a
/// slightly different completion, so their mean is a larger ensemble with less variance, and the first round, which
/// starts from the column means, is left out as a burn-in (on the benchmark it beat the last round alone in all 15 rows).
/// </summary>
/// <remarks>
/// <para>
/// The trees are split between chains, each fitted on its own, by default two: one grows leaves down to a single row,
/// as scikit-learn's ExtraTreesRegressor does (and missForest, which sets R randomForest's nodesize to 1), and one keeps
/// at least 3 rows a leaf (randomForest's own default stops splitting regression nodes at 5 rows). A missing cell gets
/// the mean of the chains' imputations. Single-row leaves follow sharp structure and also copy a lone neighbour's
/// noise; larger leaves smooth both; and each chain settles on its own completion, so their mean has less variance
/// than either. On the table benchmark the two chains of 25 trees beat one chain of 50 in 11 of 15 rows, and on fresh
/// masks in all 12 rows of the four small tables (bench/README.md), at the same cost.
/// </para>
/// <para>
/// Cost: about rounds × columns × trees × 2 × featuresPerSplit × rows × depth operations to fit, the trees in parallel.
/// The defaults fit a 1,797 × 64 table (digits) in about 20 seconds on 2 cores: 50 trees, at most 32 candidate
/// features per split (all of them on narrower tables), depth at most 32, 5 rounds (more rounds did not help on the
/// benchmark tables). A chain's leaves keep at least its <c>leafRows</c> rows on tables of up to <c>maxLeaves</c> rows;
/// on a longer one that many times ⌈rows / <c>maxLeaves</c>⌉, so that a tree has at most about <c>maxLeaves</c> leaves:
/// every round's trees are kept for <see cref="Transform"/>, and this bounds their memory (about 80 KB a tree).
/// </para>
/// </remarks>
/// <param name="seed">Seeds every tree: the same seed gives the same imputation, whatever the thread count.</param>
/// <param name="trees">Trees per column and round over all the chains, at least one per chain.</param>
/// <param name="rounds">Passes over the columns, at least 1.</param>
/// <param name="featuresPerSplit">Candidate features per split, at least 1.</param>
/// <param name="maxLeaves">Leaves a tree has at most, about: a leaf keeps at least ⌈rows / maxLeaves⌉ rows; at least 1.</param>
/// <param name="maxDepth">Depth of a tree at most, at least 1.</param>
/// <param name="blocks">Column ranges that encode one variable (a category's one-hot block).</param>
/// <param name="leafRows">Per chain, the least rows a leaf keeps, in units of ⌈rows / maxLeaves⌉, each at least 1; null for <see cref="DefaultLeafRows"/>.</param>
public sealed class ForestImputer(ulong seed = 0, int trees = 50, int rounds = 5, int featuresPerSplit = 32, int maxLeaves = 2048, int maxDepth = 32,
    IReadOnlyList<(int Start, int Count)>? blocks = null, IReadOnlyList<int>? leafRows = null) : IImputer
{
    private ColumnChain[]? _chains;

    /// <inheritdoc />
    public string Name => "forest";

    /// <summary>The chains a forest runs unless told: one of single-row leaves, one of leaves of at least 3 rows.</summary>
    public static IReadOnlyList<int> DefaultLeafRows { get; } = [1, 3];

    /// <summary>Per chain, the least rows a leaf keeps, in units of ⌈rows / <see cref="MaxLeaves"/>⌉.</summary>
    public IReadOnlyList<int> LeafRows { get; } = (leafRows ?? DefaultLeafRows) is { Count: > 0 } given && given.All(rows => rows >= 1)
        ? [.. given] : throw new ArgumentOutOfRangeException(nameof(leafRows));

    /// <summary>Trees per column and round, over all the chains.</summary>
    public int Trees { get; } = trees >= (leafRows ?? DefaultLeafRows).Count ? trees : throw new ArgumentOutOfRangeException(nameof(trees));

    /// <summary>Passes over the columns at most.</summary>
    public int Rounds { get; } = rounds >= 1 ? rounds : throw new ArgumentOutOfRangeException(nameof(rounds));

    /// <summary>Candidate features per split.</summary>
    public int FeaturesPerSplit { get; } = featuresPerSplit >= 1 ? featuresPerSplit : throw new ArgumentOutOfRangeException(nameof(featuresPerSplit));

    /// <summary>Leaves a tree has at most, about.</summary>
    public int MaxLeaves { get; } = maxLeaves >= 1 ? maxLeaves : throw new ArgumentOutOfRangeException(nameof(maxLeaves));

    /// <summary>Depth of a tree at most.</summary>
    public int MaxDepth { get; } = maxDepth >= 1 ? maxDepth : throw new ArgumentOutOfRangeException(nameof(maxDepth));

    /// <inheritdoc />
    public IImputer Fit(MissingData reference)
    {
        int cols = reference.Cols;
        // The first chain seeds as a one-chain forest would; each other one with a draw of a generator seeded by seed:
        // seeds a fixed step apart would share three of the four state words of their generators (see ExtraTrees).
        var draws = new Rng(seed);
        ulong[] chainSeeds = [seed, .. LeafRows.Skip(1).Select(_ => draws.NextUInt64())];
        _chains = [.. LeafRows.Select((leaf, chain) =>
        {
            // The first chains take the trees left over.
            int chainTrees = Trees / LeafRows.Count + (chain < Trees % LeafRows.Count ? 1 : 0);
            ulong chainSeed = chainSeeds[chain];
            return new ColumnChain(Rounds, maxPredictors: 100, tolerance: 1e-3, blocks ?? [], averageRounds: true, (x, y, rows, p, round, column) =>
                ExtraTrees.Fit(x, y, rows, p, chainTrees, FeaturesPerSplit, (int)Math.Min(int.MaxValue, (long)leaf * ((rows + MaxLeaves - 1) / MaxLeaves)), MaxDepth,
                    chainSeed + 0xD1B54A32D192ED03UL * (ulong)(round * cols + column + 1)));
        })];
        foreach (var chain in _chains) chain.Fit(reference);
        return this;
    }

    /// <inheritdoc />
    public float[] Transform(MissingData data)
    {
        var chains = _chains ?? throw new InvalidOperationException("call Fit first");
        var mean = BlendImputer.Blend([.. chains.Select(chain => chain.Transform(data))], [.. chains.Select(_ => 1.0 / chains.Length)]); // (Rows, Cols)
        data.RestoreObserved(mean);
        return mean;
    }
}
