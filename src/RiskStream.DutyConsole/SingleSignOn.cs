using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using RiskStream.Core.Contracts;

namespace RiskStream.DutyConsole;

/// <summary>
/// Sign-in through an OpenID Connect provider (the organisation's own, for real deployments): authorization code
/// flow with PKCE, the ID token's claims mapped to one party and one role. A user whose token names no party the
/// console serves is refused; a role other than <c>operator</c> is a viewer.
/// </summary>
/// <param name="Authority">The provider's issuer URL (its discovery document is <c>/.well-known/openid-configuration</c> under it).</param>
/// <param name="ClientId">The console's client id at the provider.</param>
/// <param name="ClientSecret">Its secret (from the environment or a file, never from the settings file).</param>
/// <param name="DisplayName">What the sign-in button calls the provider.</param>
/// <param name="PartyClaim">The claim that holds the user's party, as <c>ent:&lt;enterprise&gt;</c> or <c>gov:&lt;jurisdiction&gt;</c>.</param>
/// <param name="RoleClaim">The claim that holds the role: <c>operator</c> answers, anything else only sees.</param>
/// <param name="RequireHttps">Metadata only over HTTPS (off only for a provider on this machine).</param>
public sealed record SingleSignOn(string Authority, string ClientId, string? ClientSecret, string DisplayName = "single sign-on", string PartyClaim = "riskstream_party", string RoleClaim = "riskstream_role", bool RequireHttps = true)
{
    public const string Scheme = OpenIdConnectDefaults.AuthenticationScheme;

    internal void Configure(OpenIdConnectOptions o, Func<Party, bool> served, bool secureCookies, ILogger log)
    {
        o.Authority = Authority;
        o.ClientId = ClientId;
        o.ClientSecret = ClientSecret;
        o.RequireHttpsMetadata = RequireHttps;
        o.ResponseType = OpenIdConnectResponseType.Code;
        o.ResponseMode = OpenIdConnectResponseMode.Query;
        o.UsePkce = true;
        o.SaveTokens = false;
        o.GetClaimsFromUserInfoEndpoint = false;
        o.MapInboundClaims = false;
        o.SignInScheme = CookieAuthenticationDefaults.AuthenticationScheme;
        o.CallbackPath = "/signin-oidc";
        o.Scope.Clear();
        o.Scope.Add("openid");
        o.Scope.Add("profile");
        // The provider sends the browser back with a top-level GET (response_mode=query): Lax cookies come along.
        o.CorrelationCookie.SameSite = SameSiteMode.Lax;
        o.NonceCookie.SameSite = SameSiteMode.Lax;
        o.CorrelationCookie.SecurePolicy = o.NonceCookie.SecurePolicy = secureCookies ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
        o.Events.OnTokenValidated = ctx =>
        {
            var principal = ctx.Principal!;
            var subject = principal.FindFirstValue("preferred_username") ?? principal.FindFirstValue("sub") ?? "";
            var parties = principal.FindAll(PartyClaim).Select(c => c.Value).Distinct(StringComparer.Ordinal).ToArray();
            var party = parties.Length == 1 ? UserStore.ParseParty(parties[0]) : null;
            if (party is null || !served(party) || subject.Length is 0 or > 128 || subject.Any(char.IsControl))
            {
                log.LogWarning("Console: single sign-on of '{User}' refused: its '{Claim}' claims name no single party this console serves", ConsoleServer.Printable(subject), PartyClaim);
                ctx.Fail("no party");
                return Task.CompletedTask;
            }

            // Named apart from the local accounts (never one of theirs), the display name cut and cleaned: the trail is evidence.
            var name = "sso:" + subject;
            var display = new string((principal.FindFirstValue("name") ?? subject).Where(c => !char.IsControl(c)).Take(128).ToArray());
            var role = principal.FindFirstValue(RoleClaim) == "operator" ? ConsoleRole.Operator : ConsoleRole.Viewer;
            ctx.Principal = Session.Principal(name, display.Length > 0 ? display : subject, party, role, CookieAuthenticationDefaults.AuthenticationScheme);
            log.LogInformation("Console: {User} ({Party}) signed in through {Provider}", ConsoleServer.Printable(name), party.Address(), DisplayName);
            return Task.CompletedTask;
        };
        o.Events.OnRemoteFailure = ctx =>
        {
            ctx.Response.Redirect("/signin?failed=sso");
            ctx.HandleResponse();
            return Task.CompletedTask;
        };
    }
}
