using System.Linq.Expressions;

namespace DiyMl.Infrastructure.Storage.LiteDb;

/// <summary>
/// LiteDB's LINQ translator refuses method calls on captured values (<c>x.At &lt; now.AddDays(-1)</c>,
/// <c>x.Name == name.Trim()</c>) that MongoDB.Driver evaluates on the client. Every sub-expression
/// that does not depend on the document is evaluated here first and handed over as a constant,
/// so the same filter works on both engines.
/// </summary>
internal static class ClosureEvaluator
{
    public static Expression<TDelegate> Evaluate<TDelegate>(Expression<TDelegate> lambda)
    {
        var dependent = new DependencyFinder();
        dependent.Visit(lambda.Body);
        var body = new Folder(dependent.Dependent).Visit(lambda.Body)!;
        return lambda.Update(body, lambda.Parameters);
    }

    /// <summary>
    /// Marks every node that (transitively) reads a parameter: the document's, or that of a nested
    /// lambda such as <c>x.Tags.Any(t =&gt; t == "a")</c>.
    /// </summary>
    private sealed class DependencyFinder : ExpressionVisitor
    {
        private bool _dependent;

        public HashSet<Expression> Dependent { get; } = [];

        public override Expression? Visit(Expression? node)
        {
            if (node is null)
            {
                return null;
            }

            // A node depends on a parameter when any child does; nodes (a parameter above all) are
            // shared between sub-trees, so the answer is carried up rather than read off the set.
            var outer = _dependent;
            _dependent = false;
            base.Visit(node);
            if (_dependent || node is ParameterExpression or LambdaExpression)
            {
                Dependent.Add(node);
                _dependent = true;
            }

            _dependent |= outer;
            return node;
        }
    }

    /// <summary>Replaces each largest document-independent sub-tree by its value.</summary>
    private sealed class Folder(HashSet<Expression> dependent) : ExpressionVisitor
    {
        public override Expression? Visit(Expression? node)
        {
            if (node is null || dependent.Contains(node) || node is ConstantExpression || IsCapturedField(node))
            {
                return base.Visit(node);
            }

            var value = Expression.Lambda(node).Compile(preferInterpretation: true).DynamicInvoke();
            return Expression.Constant(value, node.Type);
        }

        // value(closure).field is what LiteDB reads natively; leave it alone (and cheap).
        private static bool IsCapturedField(Expression node) =>
            node is MemberExpression { Expression: ConstantExpression };
    }
}
