using DiyMl.Domain.Common;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Bson.Serialization.Conventions;
using MongoDB.Bson.Serialization.IdGenerators;
using MongoDB.Bson.Serialization.Serializers;

namespace DiyMl.Infrastructure.Storage.Mongo;

/// <summary>
/// The driver's serialization registry is process-wide, so the mapping is registered exactly once,
/// before the first collection is touched (conventions only apply to class maps built after them).
/// </summary>
internal static class MongoMapping
{
    private static readonly Lock Gate = new();
    private static bool _registered;

    public static void EnsureRegistered()
    {
        lock (Gate)
        {
            if (_registered)
            {
                return;
            }

            // Ignore extra elements: documents written by a newer build (or before a member was
            // removed) still load. Enums as strings: readable in the shell and stable under reordering.
            var conventions = new ConventionPack
            {
                new IgnoreExtraElementsConvention(true),
                new EnumRepresentationConvention(BsonType.String),
            };
            ConventionRegistry.Register("DiyMl", conventions, type => type.FullName?.StartsWith("DiyMl.", StringComparison.Ordinal) == true);

            BsonSerializer.TryRegisterSerializer(new GuidSerializer(GuidRepresentation.Standard));
            BsonSerializer.TryRegisterSerializer(DateTimeSerializer.UtcInstance);

            // Ids are 24-hex strings shaped like ObjectIds; storing them as real ObjectIds keeps
            // _id compact, time-ordered and what every MongoDB tool expects.
            BsonClassMap.TryRegisterClassMap<Entity>(map =>
            {
                map.AutoMap();
                map.MapIdMember(e => e.Id)
                    .SetSerializer(new StringSerializer(BsonType.ObjectId))
                    .SetIdGenerator(StringObjectIdGenerator.Instance);
                map.SetIgnoreExtraElements(true);
            });

            _registered = true;
        }
    }
}
