namespace VaeSharp.Data;

/// <summary>Finds the folder that holds downloaded data sets (the MNIST files sit directly in it).</summary>
public static class DataDirectory
{
    /// <summary>The environment variable that overrides the default data folder.</summary>
    public const string EnvironmentVariable = "VAESHARP_DATA";

    /// <summary>
    /// The data folder: <paramref name="dataDir"/> when given (the <c>--data-dir</c> option), else
    /// <c>$VAESHARP_DATA</c>, else <c>$XDG_CACHE_HOME/vaesharp</c>, else <c>~/.cache/vaesharp</c>. Returned as a full
    /// path; the folder is not created.
    /// </summary>
    public static string Resolve(string? dataDir) =>
        Resolve(dataDir, Environment.GetEnvironmentVariable,
            Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));

    /// <summary>The same rule with the environment and home folder passed in, so tests need not change the process's.</summary>
    internal static string Resolve(string? dataDir, Func<string, string?> getEnvironment, string home)
    {
        if (!string.IsNullOrEmpty(dataDir)) return Path.GetFullPath(dataDir);
        string? fromVariable = getEnvironment(EnvironmentVariable);
        if (!string.IsNullOrEmpty(fromVariable)) return Path.GetFullPath(fromVariable);
        // The XDG spec says a relative XDG_CACHE_HOME is invalid and must be ignored.
        string? cacheHome = getEnvironment("XDG_CACHE_HOME");
        if (!string.IsNullOrEmpty(cacheHome) && Path.IsPathFullyQualified(cacheHome))
            return Path.Combine(cacheHome, "vaesharp");
        return Path.Combine(home, ".cache", "vaesharp");
    }
}
