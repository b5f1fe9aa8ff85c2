using BarrioSeguro.Geo.Api.Http;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Http;

public class EditContextTests
{
    private static EditContext Of(string? ifMatch, string? user)
    {
        var http = new DefaultHttpContext();
        if (ifMatch is not null) http.Request.Headers.IfMatch = ifMatch;
        if (user is not null) http.Request.Headers[EditContext.UserHeader] = user;
        return EditContext.BindAsync(http).Result!;
    }

    [Theory]
    [InlineData("\"3\"", 3)]
    [InlineData("W/\"12\"", 12)]
    [InlineData(" 7 ", 7)]
    [InlineData("*", null)]
    [InlineData("\"abc\"", null)]
    [InlineData("\"-1\"", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void If_Match_names_a_version_or_none(string? header, int? expected) =>
        Assert.Equal(expected, Of(header, null).IfMatch);

    [Fact]
    public void The_header_version_wins_over_the_body_and_the_body_fills_in_when_there_is_none()
    {
        Assert.Equal(3, Of("\"3\"", null).ExpectedVersion(fromBody: 2));
        Assert.Equal(2, Of(null, null).ExpectedVersion(fromBody: 2));
        Assert.Null(Of(null, null).ExpectedVersion());
    }

    [Theory]
    [InlineData("\"stale-0\"", true)]
    [InlineData("*", true)]
    [InlineData("\"3\"", false)]
    [InlineData(null, false)]
    public void An_If_Match_that_names_no_version_is_a_412_before_anything_else(string? header, bool refused)
    {
        var problem = Of(header, null).UnusableIfMatch();
        Assert.Equal(refused, problem is not null);
        if (problem is not null) Assert.Equal(412, problem.StatusCode);
    }

    [Fact]
    public void The_author_is_the_body_s_else_the_user_header_else_anonymous()
    {
        Assert.Equal("ana", Of(null, "comisario.perez").Author("ana"));
        Assert.Equal("comisario.perez", Of(null, " comisario.perez ").Author("  "));
        Assert.Equal("anonymous", Of(null, "   ").Author());
    }

    [Fact]
    public void A_signed_in_user_is_the_author_whatever_the_body_or_header_says()
    {
        var http = new DefaultHttpContext();
        http.Request.Headers[EditContext.UserHeader] = "someone.else";
        http.User = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
            [new(System.Security.Claims.ClaimTypes.Name, "cmdte.quispe"), new(System.Security.Claims.ClaimTypes.Role, "planner")], "Bearer"));
        var edit = EditContext.From(http.Request);
        Assert.Equal("cmdte.quispe", edit.Author("ana"));
        Assert.Equal(new ActingUser("cmdte.quispe", "planner", true), ActingUser.Of(http));
    }
}
