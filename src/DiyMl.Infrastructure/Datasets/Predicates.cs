using System.Linq.Expressions;

namespace DiyMl.Infrastructure.Datasets;

/// <summary>
/// Joins filter expressions with AND by rewriting them onto one parameter, so the result stays a
/// plain expression both storage engines translate (no Invoke nodes, no captured null checks).
/// </summary>
internal static class Predicates
{
    public static Expression<Func<T, bool>> And<T>(this Expression<Func<T, bool>> left, Expression<Func<T, bool>> right)
    {
        var parameter = left.Parameters[0];
        var body = new Rebind(right.Parameters[0], parameter).Visit(right.Body);
        return Expression.Lambda<Func<T, bool>>(Expression.AndAlso(left.Body, body), parameter);
    }

    private sealed class Rebind(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : node;
    }
}
