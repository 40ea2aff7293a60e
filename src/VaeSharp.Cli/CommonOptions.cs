using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace VaeSharp.Cli;

/// <summary>Options several verbs share, and the range checks every numeric option goes through.</summary>
internal static class CommonOptions
{
    public const string VerboseName = "--verbose";

    public static Option<bool> Verbose() => new(VerboseName) { Description = "Print the full exception on errors", Recursive = true };

    public static Option<string> Preset() => new("--preset")
    {
        Description = "Model preset: " + string.Join(", ", Models.Preset.All.Select(preset => preset.Name)),
        DefaultValueFactory = _ => Models.Preset.KerasMlp.Name,
    };

    /// <summary>The preset called <paramref name="name"/>, or a usage error that lists the presets.</summary>
    public static Models.Preset FindPreset(string name) => Models.Preset.Find(name)
        ?? throw new UsageException($"unknown preset '{name}'; choose one of {string.Join(", ", Models.Preset.All.Select(p => p.Name))} (--preset)");

    public static Option<bool> Json() => new("--json") { Description = "Print one JSON object on stdout" };

    public static Option<string?> DataDir() => new("--data-dir")
    {
        Description = "Folder with the four MNIST IDX files (default: $VAESHARP_DATA, else $XDG_CACHE_HOME/vaesharp, else ~/.cache/vaesharp)",
    };

    public static Option<string?> Out(string description) => new("--out") { Description = description };

    /// <summary>
    /// Checks, before any work is done, that <paramref name="path"/> can take the file that <paramref name="option"/>
    /// names: not a folder, a device or another special file; in a folder that exists and that this process may write
    /// in (a hidden file is made there and deleted); not a run's saved state (<see
    /// cref="VaeSharp.Training.RunDirectory.IsSavedState"/>), nor the file <paramref name="input"/> the verb reads (a
    /// folder's model.safetensors), however either is spelled. Each failure is a usage error naming the option.
    /// </summary>
    public static void CheckOutputFile(string path, string option, string? input = null)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new UsageException($"{option} is empty; give it a file name ({option})");
        if (path.EndsWith(Path.DirectorySeparatorChar) || Directory.Exists(path))
            throw new UsageException($"{option} names a folder, not a file ({option} {path})");
        string fullPath = Path.GetFullPath(path);
        string? folder = Path.GetDirectoryName(fullPath);
        if (folder is not null && !Directory.Exists(folder)) throw new UsageException($"the output folder does not exist ({option} {path})");
        if (IO.FileType.IsSpecial(fullPath)) throw new UsageException($"{option} names a device or another special file, not a regular file ({option} {path})");
        string real = RealPath(fullPath);
        if (VaeSharp.Training.RunDirectory.IsSavedState(real))
            throw new UsageException($"{option} would replace {Path.GetFileName(real)} of the run in {Path.GetDirectoryName(real)}; write elsewhere ({option} {path})");
        string? read = input is null ? null : Directory.Exists(input) ? Path.Combine(input, Models.ModelFile.FileName) : input;
        if (read is not null && File.Exists(read) && RealPath(read) == real)
            throw new UsageException($"{option} would replace the file the verb reads ({option} {path})");
        try
        {
            ProbeWritable(folder ?? ".");
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new UsageException($"the output folder is not writable ({option} {path})");
        }
    }

    /// <summary>
    /// The absolute path with every symbolic link along it resolved, folders included, so that two spellings of one
    /// file (<c>run/m.csv</c> and <c>link-to-run/m.csv</c>) compare equal; parts that do not exist yet are kept as written.
    /// </summary>
    public static string RealPath(string path) => RealPath(path, 0);

    private static string RealPath(string path, int depth)
    {
        string full = Path.GetFullPath(path), root = Path.GetPathRoot(full) ?? "/", real = root;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            real = Path.Combine(real, part);
            FileSystemInfo? target = null;
            try
            {
                // Past 40 links deep (the kernel's ELOOP limit) or in a loop, the rest is compared as written.
                if (depth < 40) target = new FileInfo(real).ResolveLinkTarget(returnFinalTarget: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
            if (target is not null) real = RealPath(target.FullName, depth + 1);
        }
        return real;
    }

    public static Option<string> Model(string description = "A run folder holding model.safetensors") => new("--model") { Description = description, Required = true };

    /// <summary>The thread budget, which the command passes to <c>Gemm.SetThreads</c>; <paramref name="what"/> says what it runs.</summary>
    public static Option<int> Threads(string what = "matrix products") =>
        IntInRange("--threads", $"Threads for {what} (default: all cores)", 1, 1024);

    public static Option<ulong> Seed(string what = "weights, shuffling and sampling") => new("--seed") { Description = $"Seed for {what}", DefaultValueFactory = _ => 1UL };

    public static Option<int> CheckpointEvery() =>
        IntInRange("--checkpoint-every", "Save a checkpoint every N epochs, after the last, and on Ctrl-C", 1, 100_000, defaultValue: 1);

    /// <summary>The <c>--force</c> of the verbs that start a new run: replace a run already in the folder.</summary>
    public static Option<bool> Force() => new("--force") { Description = "Replace a run already in the folder (removes only the run's own files)" };

    /// <summary>
    /// Opens <paramref name="path"/> for a new run: creates it, takes its lock (exit 1 when another process holds it),
    /// and refuses a folder that already holds a run (exit 2) unless <paramref name="force"/>, which removes the old run's files.
    /// </summary>
    public static (VaeSharp.Training.RunDirectory Run, VaeSharp.Training.RunLock Lock) NewRunFolder(string path, bool force, string option)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new UsageException($"{option} is empty; give it a folder name ({option})");
        var run = OutputFolder(path, option);
        var runLock = LockFolder(run.Path, option);
        try
        {
            if (VaeSharp.Training.RunDirectory.HoldsRun(run.Path))
            {
                if (!force)
                    throw new UsageException($"the folder already holds a run; continue it with `vae resume --model {path}` or pass --force to replace it ({path})");
                run.RemoveRunFiles();
            }
            return (run, runLock);
        }
        catch
        {
            runLock.Dispose();
            throw;
        }
    }

    /// <summary>Takes the lock of a run folder the verb writes into; a read-only folder is a usage error naming <paramref name="option"/>.</summary>
    public static VaeSharp.Training.RunLock LockFolder(string folder, string option)
    {
        try
        {
            return VaeSharp.Training.RunLock.Acquire(folder);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new UsageException($"the output folder is not writable: {e.Message.TrimEnd('.')} ({option})");
        }
    }

    /// <summary>
    /// Creates the run folder <paramref name="path"/> if needed and proves it writable with a probe file, so that an
    /// unwritable folder fails before training rather than at the first checkpoint.
    /// </summary>
    public static VaeSharp.Training.RunDirectory OutputFolder(string path, string option)
    {
        try
        {
            var run = new VaeSharp.Training.RunDirectory(path);
            ProbeWritable(run.Path);
            return run;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"the output folder is not writable: {e.Message.TrimEnd('.')} ({option})");
        }
    }

    /// <summary>
    /// Proves <paramref name="folder"/> writable now, before any work, by making a hidden file of a random name there
    /// (created new, so never through a planted link) and deleting it.
    /// </summary>
    private static void ProbeWritable(string folder)
    {
        try
        {
            var (stream, probe) = VaeSharp.IO.AtomicFile.CreateTemp(Path.Combine(folder, "vae-write-probe"));
            stream.Dispose();
            File.Delete(probe);
        }
        catch (UnauthorizedAccessException)
        {
            throw new UnauthorizedAccessException($"permission denied in {folder}"); // not the probe's own name
        }
        catch (IOException e)
        {
            // "Read-only file system : '/run/.vae-write-probe.tmp-…'": the reason, without the probe's own name.
            throw new IOException($"{e.Message.Split(" : '")[0].TrimEnd('.')} in {folder}", e.HResult);
        }
    }

    /// <summary>An int option whose value must lie in [min, max]; the error names the option and the range.</summary>
    public static Option<int> IntInRange(string name, string description, int min, int max, int? defaultValue = null)
    {
        var option = new Option<int>(name) { Description = $"{description} ({min}..{max})" };
        if (defaultValue is int value) option.DefaultValueFactory = _ => value;
        option.Validators.Add(result =>
        {
            if (ParsedValue<int>(result) is not int given) return;
            if (given < min || given > max) result.AddError($"{given} is out of range {min}..{max}");
        });
        return option;
    }

    /// <summary>A float option whose value must lie in (min, max]; the error names the option and the range.</summary>
    public static Option<float> FloatInRange(string name, string description, float exclusiveMin, float max)
    {
        var option = new Option<float>(name) { Description = $"{description} (> {exclusiveMin}, ≤ {max})" };
        option.Validators.Add(result =>
        {
            if (ParsedValue<float>(result) is not float given) return;
            if (!(given > exclusiveMin && given <= max)) result.AddError($"{given} is out of range: it must be greater than {exclusiveMin} and at most {max}");
        });
        return option;
    }

    /// <summary>
    /// The option's value for a range check, or null when its token is not a number: the parser reports that itself,
    /// naming the option, while asking the result for the value would throw out of the validator.
    /// </summary>
    private static T? ParsedValue<T>(OptionResult result) where T : struct, IParsable<T> =>
        result.Tokens.Count > 0 && !T.TryParse(result.Tokens[^1].Value, CultureInfo.InvariantCulture, out _) ? null : result.GetValueOrDefault<T>();

    /// <summary>The value of an option the user gave, or null when it was left out.</summary>
    public static T? Given<T>(this ParseResult parse, Option<T> option) where T : struct =>
        parse.GetResult(option) is { Implicit: false } ? parse.GetValue(option) : null;
}
