using Microsoft.Extensions.Options;

namespace DiyMl.Infrastructure.Storage;

/// <summary>Names the setting and what it may be, so a typo stops start-up with a line a person can act on.</summary>
internal sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        if (options.ProviderKind is null)
        {
            var allowed = string.Join(", ", Enum.GetNames<StorageProvider>());
            return ValidateOptionsResult.Fail(
                $"Storage:Provider '{options.Provider}' is not valid; allowed values: {allowed}.");
        }

        if (options.MongoConnectTimeoutSeconds is < 1 or > 300)
        {
            return ValidateOptionsResult.Fail(
                $"Storage:MongoConnectTimeoutSeconds must be between 1 and 300 (got {options.MongoConnectTimeoutSeconds}).");
        }

        return string.IsNullOrWhiteSpace(options.DataDirectory)
            ? ValidateOptionsResult.Fail("Storage:DataDirectory must name a directory (default ./data).")
            : ValidateOptionsResult.Success;
    }
}
