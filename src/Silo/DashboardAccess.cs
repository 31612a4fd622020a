using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Pipeline.Silo;

/// <summary>
/// Keeps the dashboard on its own listener and, when a token is configured, behind it. The Orleans dashboard has
/// no authentication of its own and maps plain endpoints, so this gate runs before routing: on the dashboard
/// listener only /dashboard and the jobs page (/jobs) are served and only with the token; on the other listener they
/// do not exist.
/// The token is accepted as <c>Authorization: Bearer …</c>, or from a cookie that a browser gets by opening
/// <c>/dashboard/?token=…</c> once (the dashboard's own scripts cannot send a header).
/// </summary>
public static class DashboardAccess
{
    public const string RoutePrefix = "/dashboard";
    const string CookieName = "pipeline-dashboard-token";
    const string ConnectionTag = "pipeline.dashboard-listener";

    /// <summary>Marks every connection accepted by the dashboard's Kestrel listener.</summary>
    public static ListenOptions TagAsDashboardListener(this ListenOptions listen)
    {
        listen.Use(next => connection =>
        {
            connection.Items[ConnectionTag] = true;
            return next(connection);
        });
        return listen;
    }

    public static IApplicationBuilder UseDashboardAccess(this IApplicationBuilder app, string? token)
    {
        var expected = token is null ? null : Encoding.UTF8.GetBytes(token);
        return app.Use(async (context, next) =>
        {
            var onDashboardListener = context.Features.Get<IConnectionItemsFeature>()?.Items.ContainsKey(ConnectionTag) == true;
            var dashboardPath = context.Request.Path.StartsWithSegments(RoutePrefix) || context.Request.Path.StartsWithSegments(JobsPage.RoutePrefix);
            if (onDashboardListener != dashboardPath)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }
            if (onDashboardListener && expected is not null && !Authorized(context, expected))
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers.WWWAuthenticate = "Bearer";
                return;
            }
            await next(context);
        });
    }

    static bool Authorized(HttpContext context, byte[] expected)
    {
        if (Matches(BearerToken(context.Request), expected)) return true;
        if (Matches(context.Request.Cookies[CookieName], expected)) return true;
        if (!Matches(context.Request.Query["token"], expected)) return false;
        context.Response.Cookies.Append(CookieName, context.Request.Query["token"]!, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Path = "/", // the dashboard and the jobs page
        });
        return true;
    }

    static string? BearerToken(HttpRequest request)
    {
        const string scheme = "Bearer ";
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) ? header[scheme.Length..].Trim() : null;
    }

    static bool Matches(string? presented, byte[] expected) =>
        presented is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), expected);
}
