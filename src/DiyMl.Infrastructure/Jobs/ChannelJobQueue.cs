using System.Collections.Concurrent;
using System.Threading.Channels;
using DiyMl.Domain.Jobs;
using Microsoft.Extensions.Options;

namespace DiyMl.Infrastructure.Jobs;

/// <summary>
/// A bounded channel of job ids read by this instance's workers. An id already waiting is not
/// added twice (the sweep re-announces freely). On a web-only instance (no workers) nothing
/// would read it, so announcements are dropped and another instance's sweep picks the job up.
/// </summary>
internal sealed class ChannelJobQueue : IJobQueue
{
    private readonly Channel<string> _channel;
    private readonly ConcurrentDictionary<string, byte> _waiting = new(StringComparer.Ordinal);
    private readonly bool _hasWorkers;

    public ChannelJobQueue(IOptions<JobOptions> options)
    {
        _hasWorkers = options.Value.Workers > 0;
        _channel = Channel.CreateBounded<string>(new BoundedChannelOptions(options.Value.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleWriter = false,
            SingleReader = false,
        });
    }

    public bool Announce(string jobId)
    {
        if (!_hasWorkers || !_waiting.TryAdd(jobId, 0))
        {
            return false;
        }

        if (_channel.Writer.TryWrite(jobId))
        {
            return true;
        }

        _waiting.TryRemove(jobId, out _);
        return false;
    }

    public bool IsWaiting(string jobId) => _waiting.ContainsKey(jobId);

    public async ValueTask<string> DequeueAsync(CancellationToken ct)
    {
        var id = await _channel.Reader.ReadAsync(ct);
        _waiting.TryRemove(id, out _);
        return id;
    }
}
