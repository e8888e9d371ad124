using Horizon.Exchange.Api;
using Horizon.Exchange.Enrollment;

namespace Horizon.Exchange.Hosting;

/// <summary>Maps the REST API under <c>/v1</c> and its OpenAPI document at <c>/v1/openapi.json</c>.</summary>
public static class ExchangeEndpointExtensions
{
    public static WebApplication MapExchangeApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        // Ahead of routing, so no handler ever sees a path that was normalised or holds a bad id.
        app.UseMiddleware<RawPathGuard>();
        app.UseMiddleware<RequestBodyGuard>();
        app.UseRouting();
        app.MapOpenApi("/v1/openapi.json");
        app.MapGroup("/v1").MapAnonymousAdminApi().MapAnonymousEnrollmentApi().MapAnonymousDeviceCertificatesApi();
        var v1 = app.MapGroup("/v1").AddEndpointFilter<CredentialFilter>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        v1.MapAdminApi()
            .MapOrgsApi()
            .MapOrgStatusApi()
            .MapUsersApi()
            .MapNodesApi()
            .MapAgbotsApi()
            .MapAgbotGrantsApi()
            .MapDefinitionsApi()
            .MapServicePolicyApi()
            .MapChangesApi()
            .MapSearchApi()
            .MapEnrollmentApi()
            .MapEnrollmentCertificatesApi()
            .MapEnrollmentRulesApi()
            .MapDeviceCertificatesApi();
        return app;
    }
}
