return VaeSharp.Cli.VaeCli.Run(args);
