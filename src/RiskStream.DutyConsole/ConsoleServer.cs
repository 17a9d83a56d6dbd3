using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RiskStream.Core.Contracts;

namespace RiskStream.DutyConsole;

/// <summary>Where and how the console listens.</summary>
/// <param name="Url">e.g. <c>http://localhost:8088</c>; behind TLS in a deployment.</param>
/// <param name="SecureCookies">Cookies only over HTTPS (browsers also accept them from http://localhost).</param>
/// <param name="AnswersPerMinute">Answers one user may send a minute.</param>
/// <param name="SignInsPerMinute">Sign-in attempts one address may make a minute.</param>
/// <param name="SingleSignOn">Sign-in through an OpenID Connect provider besides the local accounts (none: local only).</param>
public sealed record ConsoleSettings(string Url, bool SecureCookies = true, int AnswersPerMinute = 30, int SignInsPerMinute = 10, SingleSignOn? SingleSignOn = null);

/// <summary>What the pages draw from besides the warnings: the park, the scenarios' texts, readings and spectra.</summary>
public sealed record ConsoleSources(Core.Registry.ParkRegistry? Registry = null, Scenarios.Definitions.ScenarioSet? Scenarios = null, EvidenceFeed? Evidence = null);

/// <summary>
/// <c>riskstream console</c>: the duty console. Each user belongs to one party and sees only that party's warnings
/// (read from that party's own warning topic) and answers them on that party's own acknowledgement topic, as the
/// role the warning gives the party allows. Server-rendered pages, a little JavaScript for live updates
/// (server-sent events), every asset inside the assembly; signed-in by cookie, CSRF tokens on every form, a content
/// security policy, rate limits on sign-in and answers.
/// </summary>
public sealed class ConsoleServer : IAsyncDisposable
{
    /// <summary>Largest request body the console reads (a form with an answer).</summary>
    public const int MaxBodyBytes = 64 * 1024;

    private readonly WebApplication _app;

    public ConsoleServer(ConsoleSettings settings, WarningBoard board, UserStore users, AnswerSender answers, ILoggerFactory loggers, ConsoleSources? sources = null, TimeProvider? time = null)
    {
        sources ??= new ConsoleSources();
        var log = loggers.CreateLogger("riskstream.console");
        var clock = time ?? TimeProvider.System;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggers);
        builder.WebHost.UseUrls(settings.Url);
        // Nothing a person sends here is large: an answer's text is at most 2,000 characters.
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = MaxBodyBytes;
            k.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
        });
        builder.Services.Configure<Microsoft.AspNetCore.Http.Features.FormOptions>(o =>
        {
            o.ValueCountLimit = 32;
            o.ValueLengthLimit = 16 * 1024;
            o.KeyLengthLimit = 64;
            o.MultipartBodyLengthLimit = MaxBodyBytes;
        });
        var authentication = builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(o =>
        {
            o.LoginPath = "/signin";
            o.LogoutPath = "/signout";
            o.Cookie.Name = "riskstream.console";
            o.Cookie.HttpOnly = true;
            // Lax, not Strict: a sign-in through the organisation's provider ends in a redirect from its site, which
            // must arrive signed in. Cross-site POSTs still carry no cookie, and every form has a CSRF token.
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = settings.SecureCookies ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
            // One shift, not sliding: a person removed or demoted at the provider (or in the users file) is out within 12 h.
            o.ExpireTimeSpan = TimeSpan.FromHours(12);
            o.SlidingExpiration = false;
        });
        if (settings.SingleSignOn is { } sso)
        {
            authentication.AddOpenIdConnect(SingleSignOn.Scheme, o => sso.Configure(o, board.Serves, settings.SecureCookies, log));
        }

        builder.Services.AddAuthorization();
        builder.Services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "riskstream.csrf";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = settings.SecureCookies ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
            o.FormFieldName = "csrf";
        });
        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy("answers", ctx => RateLimitPartition.GetFixedWindowLimiter(ctx.User.Identity?.Name ?? "?", _ => new FixedWindowRateLimiterOptions { PermitLimit = settings.AnswersPerMinute, Window = TimeSpan.FromMinutes(1) }));
            o.AddPolicy("signin", ctx => RateLimitPartition.GetFixedWindowLimiter(ctx.Connection.RemoteIpAddress?.ToString() ?? "?", _ => new FixedWindowRateLimiterOptions { PermitLimit = settings.SignInsPerMinute, Window = TimeSpan.FromMinutes(1) }));
        });

        _app = builder.Build();
        _app.Use(async (ctx, next) =>
        {
            var h = ctx.Response.Headers;
            h.ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
            h.XContentTypeOptions = "nosniff";
            h.XFrameOptions = "DENY";
            h["Referrer-Policy"] = "no-referrer";
            h.CacheControl = "no-store";
            await next(ctx).ConfigureAwait(false);
        });
        _app.UseAuthentication();
        _app.UseAuthorization();
        _app.UseRateLimiter();
        var pages = new Pages(_app.Services.GetRequiredService<IAntiforgery>(), sources.Registry, sources.Scenarios, sources.Evidence, settings.SingleSignOn?.DisplayName);
        Map(_app, pages, board, users, answers, clock, log);
        if (settings.SingleSignOn is not null)
        {
            _app.MapGet("/signin/oidc", () => Results.Challenge(new AuthenticationProperties { RedirectUri = "/" }, [SingleSignOn.Scheme]));
        }
    }

    /// <summary>The address it listens on (the port resolved when 0 was asked for).</summary>
    public string Address => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    public Task StartAsync(CancellationToken cancel) => _app.StartAsync(cancel);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static void Map(WebApplication app, Pages pages, WarningBoard board, UserStore users, AnswerSender answers, TimeProvider clock, ILogger log)
    {
        app.MapGet("/assets/{name}", (string name) => Assets.Get(name) is { } asset ? Results.Bytes(asset.Bytes, asset.ContentType) : Results.NotFound());
        app.MapGet("/signin", (HttpContext ctx) => Html(pages.SignIn(ctx, ctx.Request.Query["failed"] == "sso" ? "Your organisation's sign-in names no party this console serves." : null)));
        app.MapGet("/lang/{code}", (HttpContext ctx, string code) =>
        {
            if (Texts.For(code) is { } texts)
            {
                ctx.Response.Cookies.Append(Texts.Cookie, texts.Language, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax, MaxAge = TimeSpan.FromDays(365), Path = "/" });
            }

            // Back to the page it came from: a local path only (never another site).
            var back = ctx.Request.Query["back"].ToString();
            return Results.Redirect(LocalPath(back) ? back : "/");
        });
        app.MapPost("/signin", async (HttpContext ctx) =>
        {
            if (!await Valid(ctx).ConfigureAwait(false))
            {
                return Results.BadRequest();
            }

            var form = await ctx.Request.ReadFormAsync().ConfigureAwait(false);
            var user = users.SignIn(form["user"].ToString(), form["password"].ToString());
            if (user is null)
            {
                log.LogWarning("Console: sign-in refused for '{User}' from {Address}", Printable(form["user"].ToString()), ctx.Connection.RemoteIpAddress);
                return Html(pages.SignIn(ctx, "Unknown user or wrong password."), StatusCodes.Status401Unauthorized);
            }

            await ctx.SignInAsync(Session.Principal(user.Name, user.DisplayName, user.Party, user.Role, CookieAuthenticationDefaults.AuthenticationScheme)).ConfigureAwait(false);
            log.LogInformation("Console: {User} ({Party}) signed in", user.Name, user.Party.Address());
            return Results.Redirect("/");
        }).RequireRateLimiting("signin");
        app.MapPost("/signout", async (HttpContext ctx) =>
        {
            if (!await Valid(ctx).ConfigureAwait(false))
            {
                return Results.BadRequest();
            }

            await ctx.SignOutAsync().ConfigureAwait(false);
            return Results.Redirect("/signin");
        });

        app.MapGet("/", (HttpContext ctx) => Html(pages.Board(ctx, Session.Of(ctx.User), board.Warnings(Session.Of(ctx.User).Party)))).RequireAuthorization();
        app.MapGet("/board/rows", (HttpContext ctx) => Html(pages.BoardRows(Texts.Of(ctx), board.Warnings(Session.Of(ctx.User).Party), Session.Of(ctx.User).Party))).RequireAuthorization();
        app.MapGet("/history", (HttpContext ctx) => Html(pages.History(ctx, Session.Of(ctx.User), board.Warnings(Session.Of(ctx.User).Party, all: true)))).RequireAuthorization();
        app.MapGet("/history.csv", (HttpContext ctx) =>
        {
            var session = Session.Of(ctx.User);
            var rows = Pages.Filtered(ctx.Request.Query, board.Warnings(session.Party, all: true));
            ctx.Response.Headers.ContentDisposition = "attachment; filename=\"riskstream-history.csv\"";
            return Results.Text(HistoryCsv.Write(rows, session.Party), "text/csv; charset=utf-8");
        }).RequireAuthorization();
        app.MapGet("/w/{id}", (HttpContext ctx, string id) => board.History(Session.Of(ctx.User).Party, id) is { } history
            ? Html(pages.Warning(ctx, Session.Of(ctx.User), history, ctx.Request.Query["sent"].ToString(), clock.GetUtcNow()))
            : Html(pages.NotFound(ctx, Session.Of(ctx.User)), StatusCodes.Status404NotFound)).RequireAuthorization();
        app.MapGet("/w/{id}/panel", (HttpContext ctx, string id) => board.History(Session.Of(ctx.User).Party, id) is { } history
            ? Html(pages.WarningPanel(ctx, Session.Of(ctx.User), history, clock.GetUtcNow()))
            : Results.NotFound()).RequireAuthorization();
        app.MapPost("/w/{id}/answer", async (HttpContext ctx, string id) =>
        {
            var session = Session.Of(ctx.User);
            if (!await Valid(ctx).ConfigureAwait(false))
            {
                return Results.BadRequest();
            }

            if (board.History(session.Party, id) is not { } history)
            {
                return Results.NotFound();
            }

            if (session.Role != ConsoleRole.Operator)
            {
                return Results.Text("Your account may see warnings but not answer them.", statusCode: StatusCodes.Status403Forbidden);
            }

            var form = await ctx.Request.ReadFormAsync().ConfigureAwait(false);
            var (answer, problem) = AnswerForm.Read(form, history[^1], session, clock.GetUtcNow());
            if (answer is null)
            {
                return Results.Text(problem!, statusCode: StatusCodes.Status400BadRequest);
            }

            if (await answers.SendAsync(answer, ctx.RequestAborted).ConfigureAwait(false) is { } failed)
            {
                log.LogWarning("Console: {Kind} of {User} to {Warning} not delivered: {Reason}", answer.Kind.Wire(), session.Name, id, failed);
                return Results.Text("Not delivered: " + failed, statusCode: StatusCodes.Status503ServiceUnavailable);
            }

            log.LogInformation("Console: {User} ({Party}) sent {Kind} to {Warning}", session.Name, session.Party.Address(), answer.Kind.Wire(), id);
            return Results.Redirect($"/w/{Uri.EscapeDataString(id)}?sent={answer.Kind.Wire()}");
        }).RequireAuthorization().RequireRateLimiting("answers");

        app.MapGet("/events", async (HttpContext ctx) =>
        {
            var party = Session.Of(ctx.User).Party;
            ctx.Response.ContentType = "text/event-stream";
            await ctx.Response.WriteAsync(": live\n\n", ctx.RequestAborted).ConfigureAwait(false);
            await ctx.Response.Body.FlushAsync(ctx.RequestAborted).ConfigureAwait(false);
            try
            {
                await foreach (var e in board.Follow(party, ctx.RequestAborted).ConfigureAwait(false))
                {
                    await ctx.Response.WriteAsync($"event: warning\ndata: {e.Id}\n\n", ctx.RequestAborted).ConfigureAwait(false);
                    await ctx.Response.Body.FlushAsync(ctx.RequestAborted).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException)
            {
            }
        }).RequireAuthorization();
    }

    private static IResult Html(string html, int status = StatusCodes.Status200OK) => Results.Content(html, "text/html; charset=utf-8", statusCode: status);

    private static async Task<bool> Valid(HttpContext ctx)
    {
        try
        {
            await ctx.RequestServices.GetRequiredService<IAntiforgery>().ValidateRequestAsync(ctx).ConfigureAwait(false);
            return true;
        }
        catch (AntiforgeryValidationException)
        {
            return false;
        }
    }

    internal static string Printable(string s) => new(s.Take(64).Select(c => char.IsControl(c) ? '?' : c).ToArray());

    /// <summary>A path of this site: starts with one '/', not '//' or '/\', and holds no control character (a browser drops tabs and newlines and would read what is left).</summary>
    internal static bool LocalPath(string path) =>
        path.Length > 0 && path[0] == '/' && (path.Length == 1 || (path[1] != '/' && path[1] != '\\')) && !path.Any(char.IsControl) && path.Length <= 2_048;
}

/// <summary>The signed-in user, from its cookie's claims.</summary>
internal sealed record Session(string Name, string DisplayName, Party Party, ConsoleRole Role)
{
    public static Session Of(ClaimsPrincipal user) => new(
        user.Identity?.Name ?? "",
        user.FindFirstValue("display") ?? "",
        UserStore.ParseParty(user.FindFirstValue("party") ?? "") ?? new Party(PartyType.Enterprise, ""),
        WireNames.TryParseWire<ConsoleRole>(user.FindFirstValue(ClaimTypes.Role), out var role) ? role : ConsoleRole.Viewer);

    /// <summary>The cookie's principal of a signed-in user (local account or single sign-on).</summary>
    public static ClaimsPrincipal Principal(string name, string display, Party party, ConsoleRole role, string scheme) => new(new ClaimsIdentity(
        [
            new(ClaimTypes.Name, name),
            new("display", display),
            new("party", party.Address()),
            new(ClaimTypes.Role, role.Wire()),
        ],
        scheme));

    /// <summary>Who answered, as the warning's trail shows it.</summary>
    public string By => $"{DisplayName} ({Name}, console)";
}

/// <summary>An answer form read into an acknowledgement of the user's party, or why it cannot be.</summary>
internal static class AnswerForm
{
    public static (Acknowledgement? Answer, string? Problem) Read(IFormCollection form, WarningEvent last, Session session, DateTimeOffset now)
    {
        if (!WireNames.TryParseWire<ResponseKind>(form["kind"].ToString(), out var kind))
        {
            return (null, "unknown kind of answer");
        }

        var role = ResponseRules.RoleOf(last, session.Party);
        if (!ResponseRules.Permitted(kind, role))
        {
            return (null, $"as {role.Wire()} of this warning your party may not {kind.Wire()} it");
        }

        var text = form["text"].ToString().Trim();
        if (text.Length > 2_000)
        {
            return (null, "the text is longer than 2,000 characters");
        }

        var answer = new Acknowledgement(last.Id, session.Party, session.By, now, text.Length > 0 ? text : null, null) { Kind = kind };
        switch (kind)
        {
            case ResponseKind.Dispose:
                if (!WireNames.TryParseWire<DispositionReason>(form["disposition"].ToString(), out var reason))
                {
                    return (null, "choose what happened");
                }

                return (answer with { Disposition = reason }, null);
            case ResponseKind.Shelve:
                if (!int.TryParse(form["minutes"], NumberStyles.None, CultureInfo.InvariantCulture, out var minutes) || minutes is < 1 or > 24 * 60 || text.Length == 0)
                {
                    return (null, "a shelving needs a duration and a reason");
                }

                return (answer with { Sensor = form["sensor"].ToString(), Until = now.AddMinutes(minutes) }, null);
            case ResponseKind.Unshelve:
                return (answer with { Sensor = form["sensor"].ToString() }, null);
            case ResponseKind.Assistance:
                var accept = form["answer"].ToString() == "accept";
                var eta = int.TryParse(form["eta"], NumberStyles.None, CultureInfo.InvariantCulture, out var etaMinutes) && etaMinutes is > 0 and <= 24 * 60 ? now.AddMinutes(etaMinutes) : (DateTimeOffset?)null;
                return (answer with { Capability = form["capability"].ToString(), Answer = accept ? AssistanceAnswer.Accept : AssistanceAnswer.Decline, Eta = accept ? eta : null }, null);
            default:
                return (answer, null);
        }
    }
}
