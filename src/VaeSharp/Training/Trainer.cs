using System.Diagnostics;
using VaeSharp.Autograd;
using VaeSharp.Data;
using VaeSharp.Evaluation;
using VaeSharp.Models;
using VaeSharp.Optim;
using VaeSharp.Tensors;

namespace VaeSharp.Training;

/// <summary>
/// Mini-batch training of a <see cref="VaeModel"/>: a seeded shuffle each epoch, one optimizer step per batch,
/// and an evaluation of the validation set after each epoch. Pixels stay bytes until a batch is copied out.
/// </summary>
public sealed class Trainer
{
    private readonly Tape _tape = new();
    private readonly Tape _evaluationTape = new(recording: false); // kept, so each epoch's evaluation reuses its buffers
    private Rng _rng;

    /// <summary>Prepares to train <paramref name="model"/> with <paramref name="options"/>: shuffling and sampling draw from Rng(seed).</summary>
    public Trainer(VaeModel model, TrainingOptions options) : this(model, options, options.Seed)
    {
    }

    private Trainer(VaeModel model, TrainingOptions options, ulong streamSeed)
    {
        options.Validate();
        Model = model;
        Options = options;
        Optimizer = Optimizer.Create(options.Optimizer, model.Parameters, options.LearningRate);
        _rng = new Rng(streamSeed);
    }

    /// <summary>
    /// A new model of <paramref name="spec"/> and its trainer. The weights draw from Rng(seed) and shuffling and
    /// sampling from Rng(seed + 1), so the two streams are independent and one seed fixes the whole run;
    /// <see cref="Options"/> keeps the seed as given, which training.json records.
    /// </summary>
    public static Trainer ForNewModel(ModelSpec spec, TrainingOptions options) =>
        new(new VaeModel(spec, new Rng(options.Seed)), options, options.Seed + 1);

    /// <summary>The model being trained.</summary>
    public VaeModel Model { get; }

    /// <summary>The options.</summary>
    public TrainingOptions Options { get; }

    /// <summary>The optimizer, whose buffers a checkpoint saves.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>Epochs completed so far.</summary>
    public int EpochsCompleted { get; private set; }

    /// <summary>Every completed epoch's metrics, in order.</summary>
    public List<EpochMetrics> History { get; private set; } = [];

    /// <summary>Whether early stopping has ended training.</summary>
    public bool StoppedEarly { get; private set; }

    private double? _bestNegElbo;
    private int _epochsWithoutImprovement;
    private EpochInProgress? _inProgress;

    /// <summary>The β for <paramref name="epoch"/> (from 1), after warm-up.</summary>
    public float KlWeightAt(int epoch) => Options.KlWarmupEpochs == 0
        ? Model.Spec.KlWeight
        : Model.Spec.KlWeight * Math.Min(1f, (float)epoch / Options.KlWarmupEpochs);

    /// <summary>
    /// Trains until <see cref="TrainingOptions.Epochs"/> epochs are complete or early stopping ends the run.
    /// <paramref name="epochCompleted"/> runs after each epoch (to write metrics and checkpoints).
    /// </summary>
    /// <remarks>
    /// <paramref name="cancellation"/> is checked before each batch. When it fires, the current batch has finished
    /// and the trainer stops there, remembering how far the epoch got (<see cref="TrainerState.InProgress"/>), so a
    /// checkpoint saved after the <see cref="OperationCanceledException"/> resumes at the next batch exactly.
    /// A fault (<see cref="TrainingDivergedException"/>) happens before the optimizer step, so the weights stay those of
    /// the last good step, and nothing is reported to <paramref name="epochCompleted"/> after it.
    /// </remarks>
    /// <exception cref="TrainingDivergedException">The loss or a gradient became NaN or infinite.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> fired; the state is at a batch boundary.</exception>
    public IReadOnlyList<EpochMetrics> Fit(Dataset train, Dataset? validation, IProgress<TrainingProgress>? progress = null,
        Action<EpochMetrics>? epochCompleted = null, CancellationToken cancellation = default)
    {
        if (train.Features != Model.InputSize)
            throw new ArgumentException($"the data has {train.Features} features per example, the model expects {Model.InputSize}");
        if (train.Count == 0) throw new ArgumentException("the training set is empty");
        if (train.Mask is not null && !Model.Spec.Masked) throw new ArgumentException("the training set has a mask but the model is not masked");
        var order = new int[train.Count];
        while (EpochsCompleted < Options.Epochs && !StoppedEarly)
        {
            cancellation.ThrowIfCancellationRequested();
            var metrics = RunEpoch(train, order, progress, cancellation);
            if (validation is not null)
            {
                var elbo = ElboResult.Evaluate(Model, validation, Options.EvaluationBatchSize, _rng, _evaluationTape);
                metrics = metrics with { TestNegElbo = elbo.NegativeElbo, TestReconstruction = elbo.Reconstruction, TestKl = elbo.Kl };
                TrackImprovement(elbo.NegativeElbo);
            }
            EpochsCompleted++;
            History.Add(metrics);
            epochCompleted?.Invoke(metrics);
        }
        return History;
    }

    /// <summary>
    /// One optimizer step on a batch x (batch, features); returns the batch's loss terms. Outside <see cref="Fit"/>
    /// a fault names the optimizer step as the batch.
    /// </summary>
    /// <param name="x">The batch: (batch, features).</param>
    /// <param name="mask">For a masked model, (batch, features) with 1 observed and 0 missing; null when all are observed.</param>
    /// <exception cref="TrainingDivergedException">The loss or a gradient is NaN or infinite; no step was taken.</exception>
    public (double Total, double Reconstruction, double Kl) PartialFit(Tensor x, Tensor? mask = null) =>
        Step(x, mask, (int)Math.Min(int.MaxValue, Optimizer.StepCount + 1));

    private (double Total, double Reconstruction, double Kl) Step(Tensor x, Tensor? mask, int batch)
    {
        _tape.Reset();
        Model.Parameters.ZeroGradients();
        var loss = Model.Loss(_tape, Var.Constant(x), mask, _rng, KlWeightAt(EpochsCompleted + 1));
        double total = loss.Total.Value.Span[0], reconstruction = loss.Reconstruction.Value.Span[0], kl = loss.Kl.Value.Span[0];
        if (!double.IsFinite(total))
            throw new TrainingDivergedException(EpochsCompleted + 1, batch,
                $"the loss is {total} (reconstruction {reconstruction}, KL {kl}) at epoch {EpochsCompleted + 1}, batch {batch}");
        _tape.Backward(loss.Total);
        GradientGuard.CheckAndClip(Model.Parameters, Options.ClipGradNorm, EpochsCompleted + 1, batch);
        Optimizer.Step();
        return (total, reconstruction, kl);
    }

    /// <summary>The state a checkpoint needs besides the weights and the optimizer's buffers.</summary>
    public TrainerState CaptureState() => new()
    {
        EpochsCompleted = EpochsCompleted,
        OptimizerSteps = Optimizer.StepCount,
        RngState = _rng.GetState(),
        BestNegElbo = _bestNegElbo,
        EpochsWithoutImprovement = _epochsWithoutImprovement,
        StoppedEarly = StoppedEarly,
        History = [.. History],
        InProgress = _inProgress,
    };

    /// <summary>Continues from <paramref name="state"/>; restore the weights and optimizer buffers separately.</summary>
    public void RestoreState(TrainerState state)
    {
        EpochsCompleted = state.EpochsCompleted;
        Optimizer.RestoreStepCount(state.OptimizerSteps);
        _rng = Rng.FromState(state.RngState);
        _bestNegElbo = state.BestNegElbo;
        _epochsWithoutImprovement = state.EpochsWithoutImprovement;
        StoppedEarly = state.StoppedEarly;
        History = [.. state.History];
        _inProgress = state.InProgress;
    }

    private void TrackImprovement(double negElbo)
    {
        if (_bestNegElbo is not double best || negElbo < best)
        {
            _bestNegElbo = negElbo;
            _epochsWithoutImprovement = 0;
        }
        else if (Options.Patience > 0 && ++_epochsWithoutImprovement >= Options.Patience)
        {
            StoppedEarly = true;
        }
    }

    private EpochMetrics RunEpoch(Dataset train, int[] order, IProgress<TrainingProgress>? progress, CancellationToken cancellation)
    {
        var resumed = _inProgress;
        _inProgress = null;
        for (int i = 0; i < order.Length; i++) order[i] = i;
        // A resumed epoch rebuilds its order from the saved pre-shuffle state; _rng is already past the batches done.
        var shuffleState = resumed?.ShuffleRngState ?? _rng.GetState();
        (resumed is null ? _rng : Rng.FromState(shuffleState)).Shuffle(order.AsSpan());
        int batchSize = Options.BatchSize, steps = (order.Length + batchSize - 1) / batchSize;
        if (resumed is not null && resumed.StepsDone >= steps)
            throw new InvalidOperationException($"the saved epoch had done {resumed.StepsDone} batches, but the data has only {steps}");
        var batchBuffer = new float[Math.Min(batchSize, order.Length) * train.Features]; // x: (batch, features)
        var maskBuffer = train.Mask is null ? null : new float[batchBuffer.Length]; // mask: (batch, features)
        double total = resumed?.Total ?? 0, reconstruction = resumed?.Reconstruction ?? 0, kl = resumed?.Kl ?? 0;
        int seen = resumed?.Seen ?? 0;
        long elapsedTicks = (long)((resumed?.TrainSeconds ?? 0) * Stopwatch.Frequency);
        for (int step = resumed?.StepsDone ?? 0; step < steps; step++)
        {
            if (cancellation.IsCancellationRequested)
            {
                _inProgress = new EpochInProgress
                {
                    ShuffleRngState = shuffleState, StepsDone = step, Seen = seen, Total = total, Reconstruction = reconstruction, Kl = kl,
                    TrainSeconds = (double)elapsedTicks / Stopwatch.Frequency,
                };
                cancellation.ThrowIfCancellationRequested();
            }
            int start = step * batchSize, rows = Math.Min(batchSize, order.Length - start);
            var x = new Tensor(new Shape(rows, train.Features), batchBuffer);
            train.CopyBatch(order.AsSpan(start, rows), x.Span);
            Tensor? mask = null;
            if (maskBuffer is not null)
            {
                mask = new Tensor(x.Shape, maskBuffer);
                train.CopyMaskBatch(order.AsSpan(start, rows), mask.Span);
            }
            long started = Stopwatch.GetTimestamp();
            var loss = Step(x, mask, step + 1);
            elapsedTicks += Stopwatch.GetTimestamp() - started;
            total += loss.Total * rows;
            reconstruction += loss.Reconstruction * rows;
            kl += loss.Kl * rows;
            seen += rows;
            progress?.Report(new TrainingProgress(EpochsCompleted + 1, Options.Epochs, step + 1, steps,
                total / seen, reconstruction / seen, kl / seen));
        }
        double seconds = (double)elapsedTicks / Stopwatch.Frequency;
        return new EpochMetrics
        {
            Epoch = EpochsCompleted + 1,
            KlWeight = KlWeightAt(EpochsCompleted + 1),
            TrainLoss = total / seen,
            TrainReconstruction = reconstruction / seen,
            TrainKl = kl / seen,
            TrainSeconds = seconds,
            TrainSamplesPerSecond = seen / Math.Max(seconds, 1e-9),
        };
    }
}
